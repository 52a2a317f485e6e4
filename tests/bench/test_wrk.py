from __future__ import annotations

from pathlib import Path

import pytest

from conformance.bench import wrk

TEXT_OUTPUT = """\
Running 1s test @ http://127.0.0.1:18777/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   485.95us  158.13us   2.73ms   93.65%
    Req/Sec     4.18k   323.81     4.70k    72.73%
  Latency Distribution
     50%  438.00us
     75%  510.00us
     90%  608.00us
     99%    1.21ms
  4569 requests in 1.10s, 687.13KB read
  Non-2xx or 3xx responses: 12
Requests/sec:   4153.77
Transfer/sec:    624.69KB
"""

JSON_LINE = (
    'NF_BENCH_JSON {"requests":4660,"duration_us":1100483,"bytes":717789,"p50_us":860,'
    '"p99_us":1567,"mean_us":900.0,"max_us":2842,"errors":{"connect":1,"read":2,"write":0,'
    '"status":3,"timeout":4}}'
)


def test_parse_prefers_the_json_line_of_the_done_hook() -> None:
    figures = wrk.parse_output(TEXT_OUTPUT + JSON_LINE + "\n")
    assert figures == {
        "requests": 4660,
        "duration_s": 1.1,
        "requests_per_s": 4234.5,
        "p50_ms": 0.86,
        "p99_ms": 1.567,
        "mean_ms": 0.9,
        "max_ms": 2.842,
        "bytes_per_response": 154,
        "non_2xx_or_3xx": 3,
        "socket_errors": 7,
    }


def test_parse_falls_back_to_wrk_text() -> None:
    figures = wrk.parse_output(TEXT_OUTPUT)
    assert figures["requests"] == 4569
    assert figures["duration_s"] == 1.1
    assert figures["requests_per_s"] == 4153.77
    assert figures["p50_ms"] == 0.438
    assert figures["p99_ms"] == 1.21
    assert figures["non_2xx_or_3xx"] == 12
    assert figures["socket_errors"] == 0


def test_parse_text_reads_socket_errors() -> None:
    text = TEXT_OUTPUT + "  Socket errors: connect 1, read 2, write 3, timeout 4\n"
    assert wrk.parse_output(text)["socket_errors"] == 10


def test_parse_rejects_output_without_summary() -> None:
    with pytest.raises(ValueError, match="no wrk summary"):
        wrk.parse_output("wrk: connection refused\n")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("438.00us", 438e-6), ("1.21ms", 1.21e-3), ("2.00s", 2.0), ("1.5m", 90.0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert wrk.parse_duration_s(text) == pytest.approx(seconds)


def test_parse_duration_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a wrk duration"):
        wrk.parse_duration_s("fast")


def test_done_script_prints_the_prefix_the_parser_reads() -> None:
    assert f'"{wrk.JSON_PREFIX}"' in wrk.DONE_SCRIPT
    assert "latency:percentile(99)" in wrk.DONE_SCRIPT


def test_command_caps_threads_at_two_and_passes_headers(tmp_path: Path) -> None:
    argv = wrk.command(
        "/usr/bin/wrk",
        "http://127.0.0.1:1/x",
        connections=32,
        duration_s=3,
        headers={"Authorization": "Bearer t"},
        script=tmp_path / "done.lua",
    )
    assert argv[:4] == ["/usr/bin/wrk", "-t2", "-c32", "-d3s"]
    assert argv[-3:-1] == ["-H", "Authorization: Bearer t"]
    assert argv[-1] == "http://127.0.0.1:1/x"
    assert (
        wrk.command(
            "wrk", "http://127.0.0.1:1/", connections=1, duration_s=1, headers={}, script=tmp_path
        )[1]
        == "-t1"
    )


def test_run_refuses_non_loopback_urls() -> None:
    with pytest.raises(ValueError, match="loopback"):
        wrk.run("wrk", "http://example.com/", connections=1, duration_s=1, headers={})
