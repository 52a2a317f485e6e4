"""Targets that hang or trickle: every request ends within its per-request deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from conformance.target import DeadlineExceeded, Exchange, TargetClient, open_client
from tests.hostile.servers import Conn, Loopback, head, live_settings

TIMEOUT_S = 0.6
SLACK_S = 0.5  # scheduling jitter on a loaded 2-core CI machine


def hang(conn: Conn) -> None:
    conn.wait(20)


def drip_body(conn: Conn) -> None:
    body = b'{"data": {"containers": []}, "pagination": {"hasNextPage": false}}'
    conn.send(head(200, length=len(body)))
    for byte in body:
        conn.send(bytes([byte]))
        if conn.wait(0.1):
            return


def drip_headers(conn: Conn) -> None:
    for byte in head(200, length=2) + b"{}":
        conn.send(bytes([byte]))
        if conn.wait(0.1):
            return


def _timed_get(handler: Callable[[Conn], None]) -> tuple[Exchange, float, Loopback, TargetClient]:
    """One listing request to a server that answers with ``handler``, and how long it took."""
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url, timeout_s=TIMEOUT_S)) as client,
    ):
        started = time.monotonic()
        exchange = client.get("/v1/projects/demo/jobs/nightly/containers")
        took = time.monotonic() - started
    return exchange, took, server, client


def test_hanging_target_times_out_within_the_per_request_timeout() -> None:
    exchange, took, server, client = _timed_get(hang)
    assert exchange.status is None
    assert exchange.error == f"no response within the {TIMEOUT_S:g} s per-request timeout"
    assert exchange.json is None
    assert TIMEOUT_S - 0.05 <= took < TIMEOUT_S + SLACK_S
    assert exchange.attempts == 1, "a timeout is not retried"
    assert client.stats["timeouts"] == 1
    assert len(server.requests) == 1


@pytest.mark.parametrize("handler", [drip_body, drip_headers], ids=["body", "headers"])
def test_trickling_target_is_cut_off_at_the_per_request_deadline(handler: object) -> None:
    # One byte every 0.1 s never trips a per-read timeout; only a total deadline stops it.
    assert callable(handler)
    exchange, took, _, _ = _timed_get(handler)
    assert took < TIMEOUT_S + SLACK_S
    assert exchange.error is not None
    assert "per-request timeout" in exchange.error
    assert exchange.json is None
    if handler is drip_body:
        assert exchange.status == 200
        assert 0 < len(exchange.body) < 60, "the partial body is kept as evidence"
        assert exchange.json_error is not None
        assert exchange.json_error.startswith("body cut short")


def test_the_run_deadline_ends_a_request_to_a_hanging_target() -> None:
    with (
        Loopback(hang) as server,
        open_client(live_settings(server.url, timeout_s=5.0, deadline_s=0.5)) as client,
    ):
        started = time.monotonic()
        with pytest.raises(
            DeadlineExceeded, match=r"deadline of 0\.5 s passed; raise it with --deadline"
        ):
            client.get("/v1/projects/demo/jobs/nightly/containers")
        assert time.monotonic() - started < 0.5 + SLACK_S
        with pytest.raises(DeadlineExceeded):
            client.get("/v1/projects/demo/jobs/nightly/containers")
    assert len(server.requests) == 1, "nothing is sent after the deadline"
    assert client.stats["stopped"] == "deadline"
