"""How fast and how much a run may ask: the request budget, the rate limiter, retry waits.

Everything here is thread-safe and takes its clock as a parameter, so tests use a fake clock
instead of sleeping.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

Clock = Callable[[], float]

# Retry waits: exponential backoff for connection errors and 502/503/504 (0.25, 0.5, 1 s ...),
# never longer than BACKOFF_MAX_S; 429 without Retry-After uses the same schedule.
BACKOFF_BASE_S = 0.25
BACKOFF_MAX_S = 2.0
# x-ratelimit-reset above this is an epoch timestamp, not "seconds until reset".
_EPOCH_THRESHOLD = 1_000_000_000


class Budget:
    """A number of requests that may be sent; ``take`` reserves one before it is sent."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._spent = 0
        self._lock = threading.Lock()

    @property
    def spent(self) -> int:
        return self._spent

    @property
    def remaining(self) -> int:
        return max(self.limit - self._spent, 0)

    def take(self) -> bool:
        """Reserve one request; False (and nothing reserved) when the budget is spent."""
        with self._lock:
            if self._spent >= self.limit:
                return False
            self._spent += 1
            return True


class RateLimiter:
    """At most ``rate_per_s`` requests a second, evenly spaced (no bursts).

    ``reserve`` books the next free slot and returns how long the caller must wait for it;
    several threads get distinct, spaced slots.
    """

    def __init__(self, rate_per_s: float | None, clock: Clock = time.monotonic) -> None:
        if rate_per_s is not None and rate_per_s <= 0:
            raise ValueError(f"rate must be positive, got {rate_per_s!r}")
        self.interval_s = 0.0 if rate_per_s is None else 1.0 / rate_per_s
        self._clock = clock
        self._next_slot: float | None = None
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Seconds to wait before sending (0.0 when the slot is now)."""
        if self.interval_s == 0.0:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval_s
            return slot - now


def backoff_s(attempt: int) -> float:
    """Wait before retry number ``attempt`` (1-based): 0.25, 0.5, 1, 2, 2 ... seconds."""
    return min(BACKOFF_BASE_S * 2.0 ** (attempt - 1), BACKOFF_MAX_S)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip().split(",")[0].split(".")[0])
    except ValueError:
        return None


def ratelimit_state(
    headers: Mapping[str, str], wall_clock: Clock = time.time
) -> tuple[int | None, float | None]:
    """(remaining, seconds until reset) from ``x-ratelimit-*`` headers (lower-cased names).

    Northflank documents ``x-ratelimit-reset`` as seconds until the reset; a value that looks
    like an epoch timestamp is converted, since some gateways send that instead.
    """
    remaining = _int_header(headers, "x-ratelimit-remaining")
    reset = _int_header(headers, "x-ratelimit-reset")
    reset_in: float | None = None
    if reset is not None:
        reset_in = float(reset)
        if reset > _EPOCH_THRESHOLD:
            reset_in = max(reset - wall_clock(), 0.0)
    return remaining, reset_in
