"""Dead or stalled targets: three attempts in a row without a complete answer stop the run."""

from __future__ import annotations

import time

import pytest

from conformance.target import TargetUnreachable, open_client
from tests.hostile.servers import Conn, Loopback, Sleeps, head, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"
TIMEOUT_S = 0.5
SLACK_S = 1.0  # scheduling jitter on a loaded 2-core machine, for three requests


def hang(conn: Conn) -> None:
    conn.wait(20)


def stall_in_headers(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: appl")
    conn.wait(20)


def stall_in_body(conn: Conn) -> None:
    conn.send(head(200, length=100) + b'{"data": ')
    conn.wait(20)


@pytest.mark.parametrize(
    ("handler", "seen"),
    [
        (hang, "no response within the 0.5 s per-request timeout (3 times)"),
        (stall_in_headers, "no response within the 0.5 s per-request timeout (3 times)"),
        (stall_in_body, "an incomplete response within the 0.5 s per-request timeout (3 times)"),
    ],
    ids=["hang", "stall-headers", "stall-body"],
)
def test_three_timeouts_in_a_row_stop_the_run_within_three_timeouts(
    handler: object, seen: str
) -> None:
    assert callable(handler)
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url, timeout_s=TIMEOUT_S)) as client,
    ):
        started = time.monotonic()
        first = client.get(PATH)
        second = client.get(PATH, {"per_page": 5})
        assert first.error is not None
        assert second.error is not None
        with pytest.raises(TargetUnreachable) as stopped:
            client.get(PATH)
        took = time.monotonic() - started
        with pytest.raises(TargetUnreachable):
            client.get(PATH)  # nothing more is sent
    assert str(stopped.value) == (
        f"target unreachable: 3 requests in a row got no complete answer from {server.url}: {seen}"
    )
    assert took < 3 * TIMEOUT_S + SLACK_S
    assert len(server.requests) == 3
    assert client.stats["stopped"] == "target unreachable"


def test_different_failures_in_a_row_are_each_named() -> None:
    def flaky(conn: Conn) -> None:
        if conn.index == 0:
            conn.wait(20)  # a timeout
        elif conn.index == 1:
            conn.send(head(200, length=50) + b"{")  # cut mid-body
        else:
            conn.sock.close()  # no answer at all

    with (
        Loopback(flaky) as server,
        open_client(live_settings(server.url, timeout_s=TIMEOUT_S), sleep=Sleeps()) as client,
    ):
        client.get(PATH)
        client.get(PATH)
        with pytest.raises(TargetUnreachable) as stopped:
            client.get(PATH)
    message = str(stopped.value)
    assert "no response within the 0.5 s per-request timeout; " in message
    assert "; connection lost while reading the body: " in message
    assert message.endswith("; Server disconnected without sending a response.")


def test_a_slow_target_that_answers_is_never_unreachable() -> None:
    ok = '{"data": {"containers": []}, "pagination": {"hasNextPage": false}}'

    def slow(conn: Conn) -> None:
        if not conn.wait(0.2):
            conn.respond(200, ok)

    with Loopback(slow) as server, open_client(live_settings(server.url, timeout_s=2)) as client:
        statuses = [client.get(PATH).status for _ in range(5)]
    assert statuses == [200] * 5
    assert client.stats["stopped"] is None
