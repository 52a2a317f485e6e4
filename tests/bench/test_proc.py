from __future__ import annotations

import os
import sys

import pytest

from conformance.bench.proc import Server, ServerFailed, free_port, port_open, run_measured


def test_run_measured_reports_exit_code_output_and_usage() -> None:
    code = "import sys; b = bytearray(64 * 1024 * 1024); print('out'); sys.exit(3)"
    done = run_measured([sys.executable, "-c", code], timeout_s=60)
    assert done.usage.exit_code == 3
    assert done.stdout == "out\n"
    assert not done.usage.timed_out
    assert done.usage.peak_rss_kib > 64 * 1024  # the 64 MiB buffer shows in peak RSS
    assert done.usage.cpu_s >= 0
    assert done.usage.wall_s > 0


def test_run_measured_kills_after_timeout() -> None:
    done = run_measured([sys.executable, "-c", "import time; time.sleep(60)"], timeout_s=0.5)
    assert done.usage.timed_out
    assert done.usage.exit_code != 0
    assert done.usage.wall_s < 30


SERVER = """
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"hi")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(json.dumps({"port": s.server_address[1]}), flush=True)
s.serve_forever()
"""


def test_server_reads_its_json_line_and_is_stopped() -> None:
    with Server(
        [sys.executable, "-c", SERVER], ready=lambda s: s.first_json_line() is not None
    ) as server:
        info = server.first_json_line()
        assert info is not None
        assert port_open(info["port"])
        assert server.proc is not None
        pid = server.proc.pid
    assert server.usage is not None
    assert server.usage.peak_rss_kib > 0
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_server_that_exits_early_raises_with_its_output() -> None:
    argv = [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(1)"]
    with pytest.raises(ServerFailed, match="boom"), Server(argv, ready=lambda s: False):
        pass


def test_server_with_non_json_first_line_is_refused() -> None:
    argv = [sys.executable, "-c", "import time; print('hello', flush=True); time.sleep(30)"]
    with (
        pytest.raises(ServerFailed, match="not JSON"),
        Server(argv, ready=lambda s: s.first_json_line() is not None),
    ):
        pass


def test_free_port_is_closed() -> None:
    assert not port_open(free_port())


def test_a_child_peak_rss_is_its_own_not_the_bench_s() -> None:
    """Forked straight from a big parent, a child's ru_maxrss would start at the parent's size."""
    ballast = bytearray(200 * 1024 * 1024)
    for index in range(0, len(ballast), 4096):
        ballast[index] = 1
    usage = run_measured([sys.executable, "-c", "pass"], timeout_s=30).usage
    assert usage.exit_code == 0
    assert usage.peak_rss_kib < 100 * 1024  # a bare interpreter, far below the 200 MiB ballast
    del ballast
