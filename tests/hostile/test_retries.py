"""429, 5xx and lost connections: bounded, counted retries that never hide what happened."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from conformance.target import QuotaLow, TargetUnreachable, open_client
from tests.hostile.servers import Conn, Handler, Loopback, Sleeps, live_settings, refused_port

PATH = "/v1/projects/demo/jobs/nightly/containers"
OK = '{"data": {"containers": [], "runId": "r1"}, "pagination": {"hasNextPage": false}}'
LIMITED = '{"error": {"status": 429, "message": "Too many requests"}}'


def fails_then_ok(status: int, times: int, headers: list[tuple[str, str]]) -> Handler:
    def handler(conn: Conn) -> None:
        if conn.index < times:
            conn.respond(status, LIMITED if status == 429 else "", headers)
        else:
            conn.respond(200, OK)

    return handler


def test_429_waits_for_retry_after_seconds_then_succeeds_and_is_counted() -> None:
    sleeps = Sleeps()
    handler = fails_then_ok(429, 1, [("Retry-After", "2")])
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url), sleep=sleeps) as client,
    ):
        exchange = client.get(PATH)
    assert exchange.status == 200
    assert exchange.json is not None
    assert exchange.attempts == 2
    assert exchange.retried_statuses == (429,)
    assert exchange.describe_retries() == "after 1 retry (429)"
    assert exchange.excerpt()["retried"] == ["429"]
    assert sleeps.waits == [2.0]
    assert client.stats["retries_429"] == 1
    assert client.stats["requests_sent"] == 2 == len(server.requests)


def test_429_with_an_http_date_waits_until_that_date() -> None:
    sleeps = Sleeps()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    handler = fails_then_ok(429, 1, [("Retry-After", when)])
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url), sleep=sleeps) as client,
    ):
        exchange = client.get(PATH)
    assert exchange.status == 200
    assert len(sleeps.waits) == 1
    assert 3.0 <= sleeps.waits[0] <= 5.0


def test_429_asking_for_a_long_wait_stops_the_run_instead_of_waiting() -> None:
    sleeps = Sleeps()
    handler = fails_then_ok(429, 5, [("Retry-After", "3600")])
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url), sleep=sleeps) as client,
    ):
        with pytest.raises(
            QuotaLow, match=r"asks to wait 3600 s \(Retry-After\), longer than the 30 s"
        ):
            client.get(PATH)
        with pytest.raises(QuotaLow):
            client.get(PATH)
    assert sleeps.waits == []
    assert len(server.requests) == 1
    assert client.stats["stopped"] == "rate-limit quota"


def test_429_that_persists_is_returned_after_the_bounded_retries() -> None:
    sleeps = Sleeps()
    handler = fails_then_ok(429, 100, [])  # no Retry-After: exponential backoff
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url, max_retries=3), sleep=sleeps) as client,
    ):
        exchange = client.get(PATH)
    assert exchange.status == 429, "a retry never turns a failure into a pass"
    assert exchange.attempts == 4
    assert exchange.retried_statuses == (429, 429, 429)
    assert sleeps.waits == [0.25, 0.5, 1.0]
    assert len(server.requests) == 4


def test_503_twice_then_200_is_retried_with_backoff_and_counted() -> None:
    sleeps = Sleeps()
    handler = fails_then_ok(503, 2, [])
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url), sleep=sleeps) as client,
    ):
        exchange = client.get(PATH)
    assert exchange.status == 200
    assert exchange.attempts == 3
    assert exchange.retried_statuses == (503, 503)
    assert exchange.describe_retries() == "after 2 retries (503, 503)"
    assert sleeps.waits == [0.25, 0.5]
    assert client.stats["retries_transient"] == 2
    assert client.stats["retries_429"] == 0


def test_a_server_that_closes_without_answering_is_retried_then_reported() -> None:
    def close_at_once(conn: Conn) -> None:
        conn.sock.close()

    sleeps = Sleeps()
    with (
        Loopback(close_at_once) as server,
        open_client(live_settings(server.url, max_retries=1), sleep=sleeps) as client,
    ):
        exchange = client.get(PATH)
        assert exchange.status is None
        assert exchange.error is not None
        assert exchange.error.startswith("no response: Server disconnected")
        assert exchange.attempts == 2
        assert len(exchange.retried_errors) == 1
        # Retries count as attempts: the next request's first attempt is the third in a row.
        with pytest.raises(
            TargetUnreachable,
            match=r"^target unreachable: 3 requests in a row got no complete answer from "
            r"http://127\.0\.0\.1:\d+: Server disconnected without sending a response\. "
            r"\(3 times\)$",
        ):
            client.get(PATH)
        with pytest.raises(TargetUnreachable):
            client.get(PATH)
    assert len(server.requests) == 3, "nothing is sent once the target is found unreachable"
    assert client.stats["transport_errors"] == 3
    assert client.stats["stopped"] == "target unreachable"


def test_a_complete_answer_between_failures_resets_the_count() -> None:
    def every_other(conn: Conn) -> None:
        if conn.index % 3 == 2:
            conn.respond(200, OK)
        else:
            conn.sock.close()

    with (
        Loopback(every_other) as server,
        open_client(live_settings(server.url, max_retries=0), sleep=Sleeps()) as client,
    ):
        results = [client.get(PATH) for _ in range(6)]
    assert [exchange.status for exchange in results] == [None, None, 200] * 2
    assert client.stats["stopped"] is None


def test_connection_refused_makes_the_target_unreachable_quickly() -> None:
    sock, port = refused_port()
    sleeps = Sleeps()
    with sock, open_client(live_settings(f"http://127.0.0.1:{port}"), sleep=sleeps) as client:
        started = time.monotonic()
        with pytest.raises(
            TargetUnreachable,
            match=r"3 requests in a row got no complete answer from http://127\.0\.0\.1:\d+: "
            r".*refused.* \(3 times\)",
        ):
            client.get(PATH)
        assert time.monotonic() - started < 1.0
    assert sum(sleeps.waits) <= 2.0, "the real backoff is short too"
    assert client.stats["retries_transient"] == 2


def test_an_unknown_host_makes_the_target_unreachable() -> None:
    sleeps = Sleeps()
    settings = live_settings("http://no-such-host.invalid", max_retries=1)
    with open_client(settings, sleep=sleeps) as client:
        first = client.get(PATH)
        assert first.status is None
        with pytest.raises(TargetUnreachable) as error:
            client.get(PATH)
    assert "no-such-host.invalid" in str(error.value)
