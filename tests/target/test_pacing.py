"""Budget, rate limiter, Retry-After and x-ratelimit parsing, on fake clocks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest

from conformance.target._pacing import (
    Budget,
    RateLimiter,
    backoff_s,
    parse_retry_after,
    ratelimit_state,
)

T = TypeVar("T")


def test_budget_refuses_past_its_limit_and_reserves_nothing_then() -> None:
    budget = Budget(2)
    assert [budget.take() for _ in range(4)] == [True, True, False, False]
    assert (budget.spent, budget.remaining) == (2, 0)


def _in_threads(function: Callable[[], T], *, threads: int, calls: int) -> list[T]:
    """What ``calls`` calls of ``function`` returned in each of ``threads`` threads at once."""
    results: list[T] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(calls):
            result = function()
            with lock:
                results.append(result)

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=10)
    return results


def test_budget_holds_under_contention() -> None:
    budget = Budget(100)
    taken = _in_threads(budget.take, threads=8, calls=50)
    assert taken.count(True) == 100
    assert budget.spent == 100


def test_rate_limiter_spaces_slots_evenly() -> None:
    now = [0.0]
    limiter = RateLimiter(2.0, clock=lambda: now[0])
    waits = [limiter.reserve() for _ in range(4)]
    assert waits == [0.0, 0.5, 1.0, 1.5], "booked back to back, each 1/rate after the last"
    now[0] = 10.0
    assert limiter.reserve() == 0.0, "idle time is not saved up into a burst"
    assert limiter.reserve() == 0.5


def test_rate_limiter_gives_threads_distinct_slots() -> None:
    limiter = RateLimiter(10.0, clock=lambda: 0.0)
    waits = _in_threads(limiter.reserve, threads=5, calls=10)
    assert sorted(waits) == pytest.approx([n / 10 for n in range(50)])


def test_no_rate_never_waits_and_a_bad_rate_is_refused() -> None:
    assert RateLimiter(None).reserve() == 0.0
    with pytest.raises(ValueError, match="rate must be positive, got 0"):
        RateLimiter(0)


def test_backoff_doubles_and_is_bounded() -> None:
    assert [backoff_s(n) for n in range(1, 7)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("Sat, 28 Nov 2026 12:00:10 GMT", 10.0),
        ("Sat, 28 Nov 2026 11:59:00 GMT", 0.0),  # in the past: retry now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_takes_seconds_or_an_http_date(value: str | None, expected: float) -> None:
    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-ratelimit-remaining": "42", "x-ratelimit-reset": "1800"}, (42, 1800.0)),
        ({"x-ratelimit-remaining": "7"}, (7, None)),
        ({"x-ratelimit-remaining": "lots", "x-ratelimit-reset": "soon"}, (None, None)),
        ({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "1800000060"}, (5, 60.0)),
        ({}, (None, None)),
    ],
)
def test_ratelimit_headers(headers: dict[str, str], expected: tuple[object, object]) -> None:
    assert ratelimit_state(headers, wall_clock=lambda: 1_800_000_000.0) == expected
