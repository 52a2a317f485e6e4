"""One attempt at one request: send it, read the body within a size cap and a total deadline.

Used by :class:`~conformance.target.TargetClient`, which adds budget, pacing, retries and
redaction around it. Nothing here raises for a misbehaving server: what went wrong is returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from conformance.target._transports import live as transport


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
    elapsed_s: float = 0.0


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


def fetch(
    http: httpx.Client,
    request: httpx.Request,
    *,
    timeout_s: float,
    max_body_bytes: int,
    clock: Callable[[], float] = time.monotonic,
) -> Attempt:
    """Send once, never following redirects; stop reading at ``max_body_bytes`` or ``timeout_s``."""
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
        if attempt.status is None:
            attempt.failure = error
        else:
            attempt.error = (
                f"connection lost while reading the body: {error or type(error).__name__}"
            )
    attempt.elapsed_s = clock() - started
    return attempt


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
        for chunk in response.iter_bytes():
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
    except httpx.DecodingError as error:
        attempt.error = f"body could not be decoded: {error}"
    finally:
        attempt.body = b"".join(chunks)
