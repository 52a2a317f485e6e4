"""What a run may ask of a target (:class:`TargetSettings`); why a client stops is _errors.

Re-exported by :mod:`conformance.target`; import from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_REQUESTS = 300  # the request budget of a whole run
DEFAULT_TIMEOUT_S = 10.0  # per request attempt, total (headers and body)
DEFAULT_DEADLINE_S = 600.0  # the whole run


@dataclass(frozen=True)
class TargetSettings:
    """Where the target is and what the run may ask of it. Tokens are never printed."""

    base_url: str | None  # None: the built-in mock, in-process
    project_id: str
    job_id: str
    token: str = field(repr=False)
    restricted_token: str | None = field(default=None, repr=False)
    team_id: str | None = None
    run_id: str | None = None
    max_requests: int = DEFAULT_MAX_REQUESTS
    timeout_s: float = DEFAULT_TIMEOUT_S
    deadline_s: float = DEFAULT_DEADLINE_S
    rate_per_s: float | None = None  # None: no pacing (the in-process mock)
    max_body_bytes: int = 10_000_000
    min_ratelimit_remaining: int = 20  # stop early when x-ratelimit-remaining falls below
    max_retries: int = 3  # per request, for 429, connection errors and 502/503/504
    max_retry_wait_s: float = 30.0  # longest Retry-After the run waits for
    unreachable_after: int = 3  # attempts in a row without a complete answer: the target is down

    @property
    def is_mock(self) -> bool:
        return self.base_url is None
