"""The gate every attempt passes: stop flags, run deadline, request budget, pacing, waits.

One :class:`RunLimits` per :class:`~conformance.target.TargetClient`; thread-safe. Its counters
are the client's ``stats`` (report.json's ``transport`` section).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from conformance.target._errors import (
    BudgetExhausted,
    DeadlineExceeded,
    QuotaLow,
    TargetUnreachable,
)
from conformance.target._pacing import (
    Budget,
    RateLimiter,
    backoff_s,
    parse_retry_after,
    ratelimit_state,
)
from conformance.target._settings import TargetSettings


class RunLimits:
    """Budget, rate and deadline of one run, and why it stopped sending (if it did)."""

    def __init__(
        self,
        settings: TargetSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        redact: Callable[[str], str] = str,
    ) -> None:
        self.settings = settings
        self._redact = redact  # for the messages it makes: the base URL may hold a secret
        self.clock = clock
        self._sleep = sleep
        self._budget = Budget(settings.max_requests)
        self._limiter = RateLimiter(settings.rate_per_s, clock)
        self._run_deadline = clock() + settings.deadline_s
        self._lock = threading.Lock()
        self._stopped: BudgetExhausted | None = None
        self._no_answer: list[str] = []  # what the latest attempts in a row got instead
        self._counters: dict[str, Any] = {
            "retries_429": 0,
            "retries_transient": 0,
            "redirects": 0,
            "timeouts": 0,
            "transport_errors": 0,
            "bodies_capped": 0,
            "waited_s": 0.0,
            "ratelimit_remaining": None,
            "ratelimit_reset_s": None,
        }

    @property
    def requests_sent(self) -> int:
        return self._budget.spent

    def stats(self) -> dict[str, Any]:
        with self._lock:
            counters = dict(self._counters)
            stopped = self._stopped
        counters["waited_s"] = round(counters["waited_s"], 3)
        return {
            "requests_sent": self.requests_sent,
            "max_requests": self.settings.max_requests,
            **counters,
            "stopped": None if stopped is None else stopped.reason,
        }

    def count(self, key: str, amount: float = 1) -> None:
        with self._lock:
            self._counters[key] += amount

    def deadline_left(self) -> float:
        return self._run_deadline - self.clock()

    def stop(self, error: BudgetExhausted) -> BudgetExhausted:
        """Remember why the run stops sending: every later request raises the same error."""
        with self._lock:
            if self._stopped is None:
                self._stopped = error
            return self._stopped

    def deadline_exceeded(self) -> BudgetExhausted:
        seconds = self.settings.deadline_s
        return self.stop(
            DeadlineExceeded(f"the run deadline of {seconds:g} s passed; raise it with --deadline")
        )

    def admit(self) -> None:
        """Before each attempt: raise if the run must stop; wait for its pacing slot; count it."""
        if self._stopped is not None:
            raise type(self._stopped)(str(self._stopped))
        if self.deadline_left() <= 0:
            raise self.deadline_exceeded()
        if self._budget.remaining == 0:
            raise self._budget_spent()
        delay = self._limiter.reserve()
        if delay >= self.deadline_left():
            raise self.deadline_exceeded()
        self.wait(delay)
        if not self._budget.take():  # another thread took the last one while this one waited
            raise self._budget_spent()

    def _budget_spent(self) -> BudgetExhausted:
        return self.stop(
            BudgetExhausted(
                f"request budget of {self.settings.max_requests} spent;"
                " raise it with --max-requests"
                " (a default run needs far fewer: a spent budget may also mean a target that"
                " paginates without end)"
            )
        )

    def observe_answer(self, answered: bool, what: str) -> None:
        """After each attempt: a complete answer resets the count; too many in a row without
        one stop the run (TargetUnreachable, saying what they got instead)."""
        with self._lock:
            if answered:
                self._no_answer.clear()
                return
            self._no_answer.append(what or "no complete answer")
            seen = list(self._no_answer)
        if len(seen) < self.settings.unreachable_after:
            return
        where = self.settings.base_url or "the built-in mock"
        message = (
            f"target unreachable: {len(seen)} requests in a row got no complete answer"
            f" from {where}: {_summarise(seen)}"
        )
        raise self.stop(TargetUnreachable(self._redact(message)))

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.count("waited_s", seconds)
            self._sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Wait before a retry, unless that would pass the run deadline."""
        if seconds >= self.deadline_left():
            raise self.deadline_exceeded()
        self.wait(seconds)

    def retry_after(self, value: str | None, retry: int) -> float:
        """Seconds to wait before retrying a 429; QuotaLow if it asks for too long."""
        wait = parse_retry_after(value)
        if wait is None:
            return backoff_s(retry)
        if wait > self.settings.max_retry_wait_s:
            raise self.stop(
                QuotaLow(
                    f"the target answered 429 and asks to wait {wait:.0f} s (Retry-After), longer"
                    f" than the {self.settings.max_retry_wait_s:g} s a run waits; try again later"
                )
            )
        return wait

    def observe_ratelimit(self, headers: Mapping[str, str]) -> None:
        """Note ``x-ratelimit-*``; once remaining falls below the floor, later requests stop."""
        remaining, reset_in = ratelimit_state(headers)
        if remaining is None:
            return
        with self._lock:
            self._counters["ratelimit_remaining"] = remaining
            self._counters["ratelimit_reset_s"] = reset_in
        floor = self.settings.min_ratelimit_remaining
        if remaining < floor:
            when = "" if reset_in is None else f"; it resets in {reset_in:.0f} s"
            self.stop(
                QuotaLow(
                    f"the target reports x-ratelimit-remaining={remaining}, below the floor of"
                    f" {floor}{when}. Stopping early so the run does not use up the account's"
                    " API quota"
                )
            )


def _summarise(seen: list[str]) -> str:
    """'a (3 times)' or 'a; b; a': what the attempts got, in order, repeats folded."""
    if len(set(seen)) == 1:
        return f"{seen[0]} ({len(seen)} times)"
    return "; ".join(seen)
