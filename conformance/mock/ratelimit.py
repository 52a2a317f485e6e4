"""The mock's rate limit: a fixed window counted from its first request, like Northflank's."""

from __future__ import annotations

import math
from collections.abc import Callable

from conformance.mock.model import ApiError

UNENFORCED_LIMIT = 100_000  # advertised when no limit is enforced; counts down honestly
RATE_WINDOW_S = 3600.0  # Northflank: the window resets one hour after its first request


class RateLimit:
    """A fixed window counted from its first request, like Northflank's hourly limit."""

    def __init__(self, limit: int | None, window_s: float, clock: Callable[[], float]) -> None:
        self.enforced = limit is not None
        self.limit = limit if limit is not None else UNENFORCED_LIMIT
        self.window_s = window_s
        self.clock = clock
        self.start: float | None = None
        self.used = 0

    def hit(self) -> tuple[dict[str, str], ApiError | None]:
        """Count one request: the x-ratelimit-* headers, and the 429 if it is one too many."""
        now = self.clock()
        if self.start is None or now >= self.start + self.window_s:
            self.start, self.used = now, 0
        self.used += 1
        reset = max(math.ceil(self.start + self.window_s - now - 1e-6), 1)
        headers = {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(self.limit - self.used, 0)),
            "x-ratelimit-reset": str(reset),
        }
        if self.enforced and self.used > self.limit:
            message = f"Rate limit of {self.limit} requests exceeded; retry in {reset} seconds"
            error = ApiError(429, message, "rate-limited", headers={"Retry-After": str(reset)})
            return headers, error
        return headers, None
