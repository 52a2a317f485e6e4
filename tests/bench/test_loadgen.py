from __future__ import annotations

import sys

import pytest

from conformance.bench import loadgen
from conformance.bench.proc import Server
from tests.bench.test_proc import SERVER


def test_loadgen_counts_requests_and_latencies_against_a_loopback_server() -> None:
    with Server(
        [sys.executable, "-c", SERVER], ready=lambda s: s.first_json_line() is not None
    ) as server:
        info = server.first_json_line()
        assert info is not None
        url = f"http://127.0.0.1:{info['port']}/"
        figures = loadgen.run(url, concurrency=2, duration_s=5, headers={}, max_requests=20)
    assert figures["requests"] == 20
    assert figures["non_2xx_or_3xx"] == 0
    assert figures["socket_errors"] == 0
    assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["generator"] == "python-httpx"
    assert figures["concurrency"] == 2


def test_loadgen_refuses_non_loopback_urls() -> None:
    with pytest.raises(ValueError, match="loopback"):
        loadgen.run("http://10.0.0.1/", concurrency=1, duration_s=1, headers={})
