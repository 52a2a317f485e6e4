"""The budget, the run deadline and the target's own quota stop the client, whatever it does."""

from __future__ import annotations

import json
import threading
import time

import pytest

from conformance.target import (
    BudgetExhausted,
    DeadlineExceeded,
    QuotaLow,
    TargetClient,
    open_client,
)
from tests.hostile.servers import Conn, Loopback, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"


def ok(conn: Conn) -> None:
    conn.respond(200, '{"data": {"containers": [], "runId": "r1"}}')


def endless(conn: Conn) -> None:
    """Every page has a next cursor: a client that trusts it never stops."""
    page = {
        "data": {"containers": [], "runId": "r1"},
        "pagination": {"hasNextPage": True, "cursor": f"c{conn.index + 1}", "count": 0},
    }
    conn.respond(200, json.dumps(page))


def follow(client: TargetClient, limit: int = 10_000) -> int:
    """Walk the cursors like a naive client; returns how many pages it got before being stopped."""
    cursor = None
    for pages in range(limit):
        exchange = client.get(PATH, {"cursor": cursor})
        cursor = exchange.json["pagination"]["cursor"]
        if cursor is None:  # pragma: no cover - the endless server always sends one
            return pages
    raise AssertionError("the walk was not stopped")  # pragma: no cover


def test_the_request_after_the_budget_raises_and_sends_nothing() -> None:
    with Loopback(ok) as server, open_client(live_settings(server.url, max_requests=3)) as client:
        for _ in range(3):
            assert client.get(PATH).status == 200
        with pytest.raises(
            BudgetExhausted, match=r"budget of 3 spent; raise it with --max-requests"
        ):
            client.get(PATH)
    assert len(server.requests) == 3
    assert client.requests_sent == 3
    assert client.stats["requests_sent"] == 3


def test_the_budget_holds_across_threads() -> None:
    sent: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    with Loopback(ok) as server, open_client(live_settings(server.url, max_requests=10)) as client:

        def worker() -> None:
            for _ in range(5):
                try:
                    client.get(PATH)
                    outcome = sent
                except BudgetExhausted:
                    outcome = refused
                with lock:
                    outcome.append(1)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert len(sent) == 10
    assert len(refused) == 30
    assert len(server.requests) == 10
    assert len(client.exchanges) == 10


def test_endless_pagination_is_stopped_by_the_budget() -> None:
    with (
        Loopback(endless) as server,
        open_client(live_settings(server.url, max_requests=25)) as client,
        pytest.raises(BudgetExhausted, match="paginates without end"),
    ):
        follow(client)
    assert len(server.requests) == 25


def test_endless_pagination_is_stopped_by_the_run_deadline() -> None:
    with Loopback(endless) as server:
        settings = live_settings(server.url, max_requests=1_000_000, deadline_s=0.5, rate_per_s=50)
        started = time.monotonic()
        with open_client(settings) as client, pytest.raises(DeadlineExceeded):
            follow(client)
        assert time.monotonic() - started < 1.5
    assert 10 <= len(server.requests) <= 26, "paced at 50/s for 0.5 s"


def test_a_low_ratelimit_remaining_stops_the_run_with_a_clear_message() -> None:
    def quota(conn: Conn) -> None:
        remaining = 22 - conn.index  # 22, 21, 20, 19: the floor is 20
        headers = [
            ("x-ratelimit-limit", "1000"),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", "1800"),
        ]
        conn.respond(200, '{"data": {"containers": [], "runId": "r1"}}', headers)

    with Loopback(quota) as server, open_client(live_settings(server.url)) as client:
        for _ in range(4):
            assert client.get(PATH).status == 200, "the response that says so is still used"
        with pytest.raises(QuotaLow) as stopped:
            client.get(PATH)
        with pytest.raises(QuotaLow):
            client.get(PATH)
    assert str(stopped.value) == (
        "the target reports x-ratelimit-remaining=19, below the floor of 20; it resets in 1800 s."
        " Stopping early so the run does not use up the account's API quota"
    )
    assert isinstance(stopped.value, BudgetExhausted), "the runner reports what is left as skipped"
    assert stopped.value.reason == "rate-limit quota"
    assert len(server.requests) == 4
    stats = client.stats
    assert (stats["ratelimit_remaining"], stats["ratelimit_reset_s"]) == (19, 1800.0)
    assert stats["stopped"] == "rate-limit quota"
