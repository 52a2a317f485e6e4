"""One attempt at one request: send it, read the body within a size cap and a total deadline.

The cap counts decoded bytes (``_decoding`` undoes Content-Encoding a chunk at a time).

Used by :class:`~conformance.target.TargetClient`, which adds budget, pacing, retries and
redaction around it. Nothing here raises for a misbehaving server: what went wrong is returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from conformance.target._decoding import UndecodableBody, decoded
from conformance.target._errors import BudgetExhausted
from conformance.target._transports import live as transport

DISCONNECTED = "disconnected without sending a response"  # httpcore's words for no answer


class Unsendable(Exception):
    """The request is not sent: its URL is invalid or would leave the target's origin."""


@dataclass
class Attempt:
    """What one attempt got: a response (maybe cut short), or ``failure`` when none came."""

    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    truncated: bool = False
    timed_out: bool = False
    error: str | None = None
    failure: httpx.TransportError | None = None
    incomplete: bool = False  # a response began but broke off (or was not HTTP at all)
    undecodable: bool = False  # it came whole, but its Content-Encoding could not be undone
    elapsed_s: float = 0.0

    @property
    def answered(self) -> bool:
        """A whole response came (the body cap, a choice of ours, does not make it partial)."""
        return not (self.status is None or self.timed_out or self.incomplete)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def prepare(
    http: httpx.Client,
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
) -> httpx.Request:
    """The request to send; Unsendable for an invalid URL or one off the target's origin."""
    try:
        request = http.build_request(method, path, params=query, headers=headers)
    except httpx.InvalidURL as error:
        raise Unsendable(f"path {path!r} is not a valid URL path: {error}") from None
    if _origin(request.url) != _origin(http.base_url):
        raise Unsendable(f"{str(request.url)!r} is not on the target's origin {http.base_url}")
    return request


def send_once(
    http: httpx.Client,
    request: httpx.Request,
    *,
    timeout_s: float,
    max_body_bytes: int,
    clock: Callable[[], float] = time.monotonic,
) -> Attempt:
    """Send once, never following redirects; stop reading at ``max_body_bytes`` (decoded) or
    ``timeout_s``. Whatever the target sends, nothing is raised: the Attempt says what it got."""
    started = clock()
    attempt = Attempt()
    try:
        with transport.deadline(timeout_s):
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                attempt.status = response.status_code
                attempt.headers = list(response.headers.multi_items())
                _read_body(response, attempt, started + timeout_s, max_body_bytes, clock)
            finally:
                response.close()
    except httpx.TimeoutException as error:
        if attempt.status is None and isinstance(error, httpx.ConnectTimeout):
            attempt.failure = error
        else:
            attempt.timed_out = True
            got = "an incomplete response" if attempt.status is not None else "no response"
            attempt.error = f"{got} within the {timeout_s:g} s per-request timeout"
    except httpx.TransportError as error:
        malformed = isinstance(error, httpx.RemoteProtocolError) and DISCONNECTED not in str(error)
        if attempt.status is None and malformed:  # bytes came, but no HTTP response head: the
            attempt.incomplete = True  # same request would get the same again, so no retry
            attempt.error = f"malformed response head: {_one_line(error)}"
        elif attempt.status is None:
            attempt.failure = error
        else:
            attempt.incomplete = True
            attempt.error = f"connection lost while reading the body: {_one_line(error)}"
    except BudgetExhausted:  # the run's own stop (a replay's request not in the recording)
        raise
    except Exception as error:  # whatever else reading a hostile answer raises: never a traceback
        attempt.incomplete = True
        attempt.error = f"the response could not be read: {_one_line(error)}"
    attempt.elapsed_s = clock() - started
    return attempt


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


def _read_body(
    response: httpx.Response,
    attempt: Attempt,
    deadline: float,
    max_body_bytes: int,
    clock: Callable[[], float],
) -> None:
    chunks: list[bytes] = []
    size = 0
    try:
        body: Iterator[bytes]
        if hasattr(response, "_content"):  # made in memory (respx): httpx read and decoded it
            body = iter([response.content])
        else:
            body = decoded(response.iter_raw(), response.headers.get_list("content-encoding"))
        for chunk in body:
            room = max_body_bytes - size
            if len(chunk) > room:
                chunks.append(chunk[:room])
                attempt.truncated = True
                attempt.error = f"response body exceeded {max_body_bytes} bytes"
                break
            chunks.append(chunk)
            size += len(chunk)
            if clock() > deadline:  # the in-process mock has no sockets to enforce it
                raise httpx.ReadTimeout("body not complete within the per-request deadline")
    except (UndecodableBody, httpx.DecodingError) as error:  # ours, or a replayed one
        attempt.undecodable = True
        attempt.error = f"body could not be decoded: {error}"
    finally:
        attempt.body = b"".join(chunks)
