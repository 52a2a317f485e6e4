"""How we talk to a target: base URL, ids, tokens, and the one client every request goes through.

Every request of a run, hand-written checks and property tests alike, goes through
:class:`TargetClient`, so the budget, the GET-only rule and redaction hold everywhere.
"""

from __future__ import annotations

import enum
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

REDACTED = "[REDACTED]"
MOCK_BASE_URL = "http://mock.invalid"


class Credential(enum.StrEnum):
    """Which Authorization a request carries."""

    PRIMARY = "primary"  # the token with the required permission
    RESTRICTED = "restricted"  # valid, but without the permission
    NONE = "none"  # no Authorization header at all
    UNKNOWN = "unknown"  # well-formed bearer token the target cannot know
    MALFORMED = "malformed"  # not a bearer token at all


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
    max_requests: int = 300
    timeout_s: float = 10.0  # per request
    deadline_s: float = 600.0  # the whole run
    rate_per_s: float | None = None  # None: no pacing (the in-process mock)
    max_body_bytes: int = 10_000_000
    min_ratelimit_remaining: int = 20  # stop early when x-ratelimit-remaining falls below

    @property
    def is_mock(self) -> bool:
        return self.base_url is None


class BudgetExhausted(Exception):
    """The run has sent as many requests as --max-requests allows."""


class UnsafeRequest(Exception):
    """A non-GET request was asked of a live target."""


class TargetUnreachable(Exception):
    """The target could not be reached at all."""


@dataclass(frozen=True)
class Exchange:
    """One request and what came back, already redacted. ``json`` is None if not JSON."""

    method: str
    path: str
    params: dict[str, str]
    credential: Credential
    request_headers: dict[str, str]
    status: int | None
    response_headers: dict[str, str]
    body: bytes
    json: Any
    error: str | None = None
    elapsed_s: float = 0.0

    @property
    def url(self) -> str:
        query = f"?{urlencode(self.params)}" if self.params else ""
        return f"{self.path}{query}"

    @property
    def is_json(self) -> bool:
        content_type = self.response_headers.get("content-type", "")
        return content_type.split(";")[0].strip().lower() == "application/json"

    def excerpt(self, limit: int = 2000) -> dict[str, Any]:
        """Request and response as report evidence: redacted, body cut to ``limit`` characters."""
        text = self.body.decode("utf-8", errors="replace")
        return {
            "request": {
                "method": self.method,
                "url": self.url,
                "credential": self.credential.value,
            },
            "response": {
                "status": self.status,
                "content_type": self.response_headers.get("content-type"),
                "body": text if len(text) <= limit else text[:limit] + "…",
            },
            "error": self.error,
        }


class TargetClient:
    """Sends GET requests to the target within a budget and records every exchange."""

    def __init__(self, settings: TargetSettings, http: httpx.Client) -> None:
        self.settings = settings
        self._http = http
        self._unknown_token = "nf-unknown-" + secrets.token_hex(16)
        self.requests_sent = 0
        self.exchanges: list[Exchange] = []

    @property
    def secrets(self) -> list[str]:
        values = [self.settings.token, self.settings.restricted_token, self._unknown_token]
        return [value for value in values if value]

    def redact(self, text: str) -> str:
        for value in self.secrets:
            text = text.replace(value, REDACTED)
        return text

    def _authorization(self, credential: Credential) -> str | None:
        match credential:
            case Credential.PRIMARY:
                return f"Bearer {self.settings.token}"
            case Credential.RESTRICTED:
                if self.settings.restricted_token is None:
                    raise ValueError("no restricted token configured")
                return f"Bearer {self.settings.restricted_token}"
            case Credential.UNKNOWN:
                return f"Bearer {self._unknown_token}"
            case Credential.MALFORMED:
                return "Bearer"
            case Credential.NONE:
                return None

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        credential: Credential = Credential.PRIMARY,
    ) -> Exchange:
        return self.request("GET", path, params, credential=credential)

    def request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        credential: Credential = Credential.PRIMARY,
    ) -> Exchange:
        if method != "GET" and not self.settings.is_mock:
            raise UnsafeRequest(f"{method} is never sent to a live target")
        if self.requests_sent >= self.settings.max_requests:
            budget = self.settings.max_requests
            raise BudgetExhausted(f"request budget of {budget} spent; raise it with --max-requests")
        query = {key: str(value) for key, value in (params or {}).items() if value is not None}
        headers = {"Accept": "application/json"}
        authorization = self._authorization(credential)
        if authorization is not None:
            headers["Authorization"] = authorization
        self.requests_sent += 1
        started = time.monotonic()
        try:
            response = self._http.request(method, path, params=query, headers=headers)
        except httpx.ConnectError as error:
            raise TargetUnreachable(self.redact(str(error))) from None
        body = response.content
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        exchange = Exchange(
            method=method,
            path=path,
            params=query,
            credential=credential,
            request_headers={
                key: (REDACTED if key.lower() == "authorization" else value)
                for key, value in headers.items()
            },
            status=response.status_code,
            response_headers={
                key.lower(): self.redact(val) for key, val in response.headers.items()
            },
            body=self.redact(body.decode("utf-8", errors="replace")).encode(),
            json=parsed,
            elapsed_s=time.monotonic() - started,
        )
        self.exchanges.append(exchange)
        return exchange
