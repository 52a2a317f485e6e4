"""How we talk to a target: base URL, ids, tokens, and the one client every request goes through.

Every request of a run, hand-written checks and property tests alike, goes through
:class:`TargetClient`, so the budget, pacing, retries, the GET-only rule, the run deadline and
redaction hold everywhere. Open one with :func:`open_client`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from conformance.target._errors import UnsafeRequest
from conformance.target._exchange import Credential, Exchange, record
from conformance.target._limits import RunLimits
from conformance.target._pacing import backoff_s
from conformance.target._redaction import Redactor, install_log_redaction
from conformance.target._sending import Attempt, Unsendable, prepare, send_once
from conformance.target._settings import TargetSettings
from conformance.target._transports import asgi
from conformance.target._transports import live as transport
from conformance.target._transports import replay as replaying

if TYPE_CHECKING:
    from starlette.types import ASGIApp

KEPT_EXCHANGES = 50  # the latest exchanges a client keeps; observers see every one
#: Called with every attempt as sent and received (retries included, RAW: not redacted).
AttemptObserver = Callable[[httpx.Request, Credential, Attempt], None]
LARGE_BODY = 1_000_000  # a body this large is far past any listing (100 containers: ~30 kB)
LARGE_BODIES_KEPT = 10_000_000  # the most bytes of large bodies one run keeps, in total
EVIDENCE_BYTES = 65_536  # what is kept of a large body past that budget


def open_client(
    settings: TargetSettings,
    app: ASGIApp | None = None,
    *,
    replay: httpx.BaseTransport | None = None,
    **options: Any,
) -> TargetClient:
    """The client for a run: the live target at ``settings.base_url``, else ``app`` in process.

    With ``replay`` (a transport answering from a recording) no request leaves the process: it
    answers them all, for the URLs of ``settings.base_url`` (or the mock's). ``options`` go to
    :class:`TargetClient` (``clock``, ``sleep``: for tests). Close it when the run ends
    (``with open_client(...) as client:``). Raises ValueError for an unusable base URL or a mock
    run without an app.
    """
    if replay is not None:
        base_url = settings.base_url or transport.MOCK_BASE_URL
        return TargetClient(settings, replaying.replay_http(base_url, replay), **options)
    if settings.base_url is None:
        if app is None:
            raise ValueError("a run against the built-in mock needs the mock app")
        return TargetClient(settings, asgi.mock_http(app), **options)
    url = httpx.URL(settings.base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            f"base URL {settings.base_url!r} is not an http(s) URL; "
            "expected e.g. 'https://api.northflank.com'"
        )
    return TargetClient(
        settings, transport.live_http(settings.base_url, settings.timeout_s), **options
    )


class TargetClient:
    """Sends requests to the target within a budget, a rate and a deadline; records exchanges.

    Thread-safe: checks may share one client across threads. ``stats`` feeds report.json's
    ``transport`` section.
    """

    def __init__(
        self,
        settings: TargetSettings,
        http: httpx.Client,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._http = http
        self._unknown_token = "nf-unknown-" + secrets.token_hex(16)
        self._redactor = Redactor(self.secrets)
        self._uninstall_log_redaction = install_log_redaction(self.secrets)
        self._limits = RunLimits(settings, clock=clock, sleep=sleep, redact=self._redactor.redact)
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []  # the latest KEPT_EXCHANGES only
        self.observers: list[Callable[[Exchange], None]] = []  # called with every exchange
        self.attempt_observers: list[AttemptObserver] = []  # every attempt, retries included
        self._in_flight: dict[int, tuple[str, float]] = {}  # request -> (what, when it began)
        self._large_kept = 0  # bytes of bodies over LARGE_BODY kept so far

    # --- what the client tells others -----------------------------------------------------------

    @property
    def secrets(self) -> list[str]:
        values = [self.settings.token, self.settings.restricted_token, self._unknown_token]
        return [value for value in values if value]

    @property
    def requests_sent(self) -> int:
        """Requests actually handed to the transport (retries included)."""
        return self._limits.requests_sent

    @property
    def stats(self) -> dict[str, Any]:
        """JSON-ready counters for report.json's ``transport`` section (see the module docs)."""
        return self._limits.stats()

    def outstanding(self) -> tuple[str, float] | None:
        """The request in flight longest ('GET ...containers?per_page=5', retries and waits
        included) and its seconds so far; None when none is. Redacted: safe to print."""
        with self._lock:
            oldest = min(self._in_flight.values(), key=lambda item: item[1], default=None)
        if oldest is None:
            return None
        what, began = oldest
        return what, self._limits.clock() - began

    def redact(self, text: str) -> str:
        return self._redactor.redact(text)

    def redact_value(self, value: Any) -> Any:
        """``value`` (report evidence: dicts, lists, strings) with every secret replaced."""
        return self._redactor.redact_value(value)

    def redact_bytes(self, data: bytes, *, truncated: bool = False) -> bytes:
        """``data`` with every secret replaced (a cut-off tail of one too, when ``truncated``)."""
        return self._redactor.redact_bytes(data, truncated=truncated)

    def close(self) -> None:
        """Close the HTTP client; stop redacting this client's secrets in new log records."""
        self._http.close()
        self._uninstall_log_redaction()

    def __enter__(self) -> TargetClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sending -------------------------------------------------------------------------------

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
        """Send one request (plus bounded retries) and return the exchange, as received.

        Raises UnsafeRequest or BudgetExhausted (QuotaLow, DeadlineExceeded, TargetUnreachable:
        the last attempt made it ``unreachable_after`` in a row without a complete answer);
        every other problem is an Exchange whose ``error`` says what went wrong.
        """
        method = method.upper()
        if method != "GET" and not self.settings.is_mock:
            raise UnsafeRequest(f"{method} is never sent to a live target")
        if not path.startswith("/") or path.startswith("//"):
            raise UnsafeRequest(self.redact(f"path {path!r} is not a path on the target"))
        query = {key: str(value) for key, value in (params or {}).items() if value is not None}
        headers = {"Accept": "application/json"}
        authorization = self._authorization(credential)
        if authorization is not None:
            headers["Authorization"] = authorization
        key = id(query)  # one per call: the dict lives until the call ends
        shown = f"{method} ...{path.rstrip('/').rpartition('/')[2]}"
        shown += f"?{urlencode(query)}" if query else ""
        with self._lock:
            self._in_flight[key] = (self.redact(shown), self._limits.clock())
        try:
            exchange = self._send(method, path, query, headers, credential)
        finally:
            with self._lock:
                del self._in_flight[key]
        exchange = self._kept(exchange)
        with self._lock:
            self.exchanges.append(exchange)
            if len(self.exchanges) > KEPT_EXCHANGES:
                del self.exchanges[0]
            for observe in self.observers:
                observe(exchange)
        return exchange

    def _send(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        credential: Credential,
    ) -> Exchange:
        limits = self._limits
        statuses: list[int] = []
        errors: list[str] = []
        elapsed = 0.0
        try:
            request = prepare(self._http, method, path, query, headers)
        except Unsendable as error:
            raise UnsafeRequest(self.redact(str(error))) from None
        while True:
            limits.admit()
            timeout = min(self.settings.timeout_s, limits.deadline_left())
            attempt = send_once(
                self._http,
                request,
                timeout_s=timeout,
                max_body_bytes=self.settings.max_body_bytes,
                clock=limits.clock,
            )
            for observe in self.attempt_observers:
                observe(request, credential, attempt)
            elapsed += attempt.elapsed_s
            retry = len(statuses) + len(errors) + 1  # the number this retry would have
            can_retry = retry <= self.settings.max_retries
            if attempt.failure is not None:
                limits.count("transport_errors")
                what = self.redact(str(attempt.failure) or type(attempt.failure).__name__)
                limits.observe_answer(False, what)  # TargetUnreachable after too many in a row
                if can_retry:
                    limits.pause(backoff_s(retry))
                    errors.append(what)
                    limits.count("retries_transient")
                    continue
                attempt.error = f"no response: {what}"
            elif attempt.timed_out:
                limits.count("timeouts")
                if timeout < self.settings.timeout_s:  # the run deadline cut it, not the target
                    raise limits.deadline_exceeded()
                limits.observe_answer(False, self.redact(attempt.error or "timed out"))
            else:
                limits.observe_answer(attempt.answered, self.redact(attempt.error or ""))
                lowered = {name.lower(): value for name, value in attempt.headers}
                limits.observe_ratelimit(lowered)
                status = attempt.status
                if can_retry and status == 429:
                    limits.pause(limits.retry_after(lowered.get("retry-after"), retry))
                    statuses.append(status)
                    limits.count("retries_429")
                    continue
                if can_retry and status in (502, 503, 504):
                    limits.pause(backoff_s(retry))
                    statuses.append(status)
                    limits.count("retries_transient")
                    continue
                if status is not None and 300 <= status < 400:
                    limits.count("redirects")
                    location = lowered.get("location")
                    where = f"to {location!r}" if location else "without a Location"
                    attempt.error = f"redirect not followed: {status} {where}"
            if attempt.truncated:
                limits.count("bodies_capped")
            return record(
                method,
                path,
                query,
                headers,
                credential,
                attempt,
                elapsed,
                statuses,
                errors,
            )

    def _kept(self, exchange: Exchange) -> Exchange:
        """The exchange, or past LARGE_BODIES_KEPT its first EVIDENCE_BYTES only: a target
        that sends huge bodies to every request cannot make the run hold them all."""
        size = len(exchange.body)
        if size <= LARGE_BODY:
            return exchange
        if exchange.json is None and (exchange.json_error or "").startswith("JSON not parsed"):
            return replace(exchange, body=exchange.body[:EVIDENCE_BYTES])  # nobody may parse it
        with self._lock:
            if self._large_kept + size <= LARGE_BODIES_KEPT:
                self._large_kept += size
                return exchange
        return replace(
            exchange,
            body=exchange.body[:EVIDENCE_BYTES],
            json=None,
            json_error=(
                f"body of {size} bytes not kept past its first {EVIDENCE_BYTES}: the run keeps"
                f" at most {LARGE_BODIES_KEPT} bytes of bodies over {LARGE_BODY} bytes"
            ),
        )

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
            case Credential.NO_SCHEME:
                return self.settings.token
            case Credential.NONE:
                return None
