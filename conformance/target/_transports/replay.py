"""A transport that answers every request from a recording (HAR entries): no network at all.

A request is matched on its method, path, query (as a set of name/value pairs) and the kind of
credential it carries; repeats of the same request get the recorded answers in recorded order.
The tokens a replay sends are placeholders: the kind is read from the Authorization header
against them, never the value. A request the recording cannot answer raises
:class:`NotInRecording`, a :class:`~conformance.target.BudgetExhausted`, so the checks that
needed it are skipped ("not in the recording"), never passed or failed.

What went wrong on the wire is replayed too: an entry without a response (status 0) raises the
recorded httpx error; a body that was cut off, lost or undecodable ends the same way; a body
over the size cap (recorded as capped, not in full) is padded past the cap again.
"""

from __future__ import annotations

import base64
import gzip
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

import brotli
import httpx
import zstandard

from conformance.target._decoding import ACCEPT_ENCODING
from conformance.target._errors import BudgetExhausted, DeadlineExceeded
from conformance.target._exchange import Credential

_CHUNK = 65536
_KEPT_UNANSWERED = 20  # requests listed by name; all are counted


class NotInRecording(BudgetExhausted):
    """The recording holds no (more) answer to this request: the check that needs it is skipped."""

    reason = "not in the recording"


Key = tuple[str, str, tuple[tuple[str, str], ...], str]


def request_key(method: str, url: httpx.URL, credential: str) -> Key:
    """What a recorded entry and a replayed request are matched on."""
    query = tuple(sorted(parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True)))
    return (method.upper(), url.path, query, credential)


def credential_of(authorization: str | None, token: str, restricted_token: str | None) -> str:
    """The kind of credential an Authorization header value stands for (see ``Credential``)."""
    if authorization is None:
        return Credential.NONE.value
    if authorization == f"Bearer {token}":
        return Credential.PRIMARY.value
    if restricted_token is not None and authorization == f"Bearer {restricted_token}":
        return Credential.RESTRICTED.value
    if authorization == token:
        return Credential.NO_SCHEME.value
    if authorization.startswith("Bearer ") and authorization[7:].strip():
        return Credential.UNKNOWN.value
    return Credential.MALFORMED.value


def _error_class(name: str) -> type[httpx.TransportError]:
    found = getattr(httpx, name, None)
    if isinstance(found, type) and issubclass(found, httpx.TransportError):
        return found
    return httpx.TransportError


def _body(content: Mapping[str, Any]) -> bytes:
    text = content.get("text") or ""
    if content.get("encoding") == "base64":
        return base64.b64decode(text)
    return str(text).encode("utf-8")


class _Recorded(httpx.SyncByteStream):
    """The recorded body, then the recorded way it ended."""

    def __init__(self, body: bytes, *, failure: Exception | None) -> None:
        self._body = body
        self._failure = failure

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._body), _CHUNK):
            yield self._body[start : start + _CHUNK]
        if self._failure is not None:
            raise self._failure


_ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda body: body,
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstandard.compress,
}


def _encode(body: bytes, headers: list[tuple[str, str]]) -> tuple[bytes, list[tuple[str, str]]]:
    """Re-encode a recorded (decoded) body for its Content-Encoding, or drop what cannot be."""
    values = [v for k, v in headers if k.lower() == "content-encoding"]
    names = [n.strip().lower() for value in values for n in value.split(",") if n.strip()]
    if not all(name in _ENCODERS for name in names):
        return body, [(k, v) for k, v in headers if k.lower() != "content-encoding"]
    for name in names:  # in the order they were applied
        body = _ENCODERS[name](body)
    return body, headers


def recorded_response(entry: Mapping[str, Any], request: httpx.Request) -> httpx.Response:
    """The response an entry holds (or raise the error it recorded instead of one)."""
    response = entry["response"]
    kind = str(entry.get("_errorKind") or "")
    message = str(entry.get("_error") or "recorded without a response")
    if kind == "RunDeadline":
        raise DeadlineExceeded(f"the run deadline passed here when it was recorded ({message})")
    if not response.get("status"):
        raise _error_class(kind or "TransportError")(message, request=request)
    headers = [(str(h["name"]), str(h["value"])) for h in response.get("headers", [])]
    content = response.get("content", {})
    body = _body(content)
    capped = entry.get("_capped")
    if isinstance(capped, Mapping):  # kept in part only: pad it past the cap again
        body = body.ljust(int(capped["limit"]) + 1, b" ")
    failure: Exception | None = None
    if kind.startswith("body:"):
        name = kind.removeprefix("body:")
        if name == "DecodingError":
            failure = httpx.DecodingError(message.removeprefix("body could not be decoded: "))
        else:
            detail = message.removeprefix("connection lost while reading the body: ")
            failure = _error_class(name)(detail, request=request)
    body, headers = _encode(body, headers)
    stream = _Recorded(body, failure=failure)
    return httpx.Response(int(response["status"]), headers=headers, stream=stream, request=request)


class ReplayTransport(httpx.BaseTransport):
    """Answers requests from ``entries`` (HAR 1.2 entries with ``_credential``), in order.

    ``token`` and ``restricted_token`` are the placeholders the replaying client sends.
    ``served`` lists the entry index that answered each request; ``unanswered`` counts the
    requests the recording could not answer (``unanswered_requests``: the first few).
    """

    def __init__(
        self,
        entries: Sequence[Mapping[str, Any]],
        *,
        token: str,
        restricted_token: str | None = None,
    ) -> None:
        self.entries = entries
        self._token = token
        self._restricted = restricted_token
        self._queues: dict[Key, deque[int]] = {}
        for index, entry in enumerate(entries):
            request = entry["request"]
            url = httpx.URL(str(request["url"]))
            key = request_key(str(request["method"]), url, str(entry.get("_credential", "")))
            self._queues.setdefault(key, deque()).append(index)
        self._lock = threading.Lock()
        self.served: list[int] = []
        self.unanswered = 0
        self.unanswered_requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        credential = credential_of(
            request.headers.get("authorization"), self._token, self._restricted
        )
        key = request_key(request.method, request.url, credential)
        with self._lock:
            queue = self._queues.get(key)
            index = queue.popleft() if queue else None
            if index is None:
                self.unanswered += 1
                path = request.url.raw_path.decode("ascii", "replace")
                what = f"{request.method} {path} ({credential})"
                if len(self.unanswered_requests) < _KEPT_UNANSWERED:
                    self.unanswered_requests.append(what)
            else:
                self.served.append(index)
        if index is None:
            raise NotInRecording(f"not in the recording: {what}")
        return recorded_response(self.entries[index], request)


def replay_http(base_url: str, transport: httpx.BaseTransport) -> httpx.Client:
    """A client whose every request ``transport`` answers: no sockets, no redirects followed."""
    return httpx.Client(
        base_url=base_url,
        follow_redirects=False,
        headers={"Accept-Encoding": ACCEPT_ENCODING},  # not httpx's default, which varies
        transport=transport,
        trust_env=False,
    )
