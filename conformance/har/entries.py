"""One attempt as one HAR 1.2 entry, every string redacted with the run's redactor.

Each attempt is its own entry (a retried request gives one entry per attempt). The credential
goes in ``_credential`` (its kind, never its value; the Authorization header reads
``[REDACTED]``). An attempt without a response is an entry with status 0 and ``_error``; what
the replay needs to raise the same error again is in ``_errorKind`` (``RunDeadline``: the run's
deadline cut the attempt short, so the run stopped there). A body over the size cap
is recorded as capped (``_capped``: the cap, the bytes read, the declared length), with only its
first bytes kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import http
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from conformance.target import REDACTED

if TYPE_CHECKING:
    import httpx

    from conformance.target import Attempt, Credential

CAPPED_PREFIX_BYTES = 4096  # what a capped body keeps: enough to see what it was
_HIDDEN_HEADERS = ("authorization", "proxy-authorization")


class Redacts(Protocol):
    """The run's redactor, as the client offers it."""

    def redact(self, text: str) -> str: ...

    def redact_bytes(self, data: bytes, *, truncated: bool = False) -> bytes: ...


def _records(pairs: Iterable[tuple[str, str]], redactor: Redacts) -> list[dict[str, str]]:
    records = []
    for name, value in pairs:
        hidden = name.lower() in _HIDDEN_HEADERS
        records.append(
            {"name": redactor.redact(name), "value": REDACTED if hidden else redactor.redact(value)}
        )
    return records


def _status_text(status: int | None) -> str:
    if not status:
        return ""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _error_kind(attempt: Attempt) -> str | None:
    """How the attempt ended badly, in the terms the replay transport raises it again."""
    if attempt.failure is not None:
        return type(attempt.failure).__name__
    if attempt.status is None:
        return "ReadTimeout" if attempt.timed_out else "TransportError"
    if attempt.timed_out:
        return "body:ReadTimeout"
    if attempt.truncated or attempt.error is None:
        return None
    if attempt.error.startswith("body could not be decoded"):
        return "body:DecodingError"
    return "body:ReadError"


def _redact_json(value: Any, redactor: Redacts) -> Any:
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, dict):
        return {redactor.redact(str(k)): _redact_json(v, redactor) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(item, redactor) for item in value]
    return value


def _unescaped_secrets_out(text: str, redactor: Redacts) -> str:
    """A JSON body that hides a secret behind escapes (``\\u0041``) is re-serialised redacted."""
    if "\\" not in text:
        return text
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    redacted = _redact_json(parsed, redactor)
    return text if redacted == parsed else json.dumps(redacted, ensure_ascii=False)


def _content(attempt: Attempt, headers: dict[str, str], redactor: Redacts) -> dict[str, Any]:
    mime = headers.get("content-type", "")
    body = attempt.body
    if attempt.truncated:
        body = body[:CAPPED_PREFIX_BYTES]
    data = redactor.redact_bytes(body, truncated=attempt.truncated or attempt.timed_out)
    content: dict[str, Any] = {"size": len(attempt.body), "mimeType": redactor.redact(mime)}
    try:
        content["text"] = _unescaped_secrets_out(data.decode("utf-8"), redactor)
    except UnicodeDecodeError:
        content["text"] = base64.b64encode(data).decode("ascii")
        content["encoding"] = "base64"
    if attempt.truncated:
        content["comment"] = (
            f"capped: the body went past the {len(attempt.body)}-byte limit; "
            f"only its first {len(body)} bytes are kept"
        )
    return content


def _declared_length(headers: dict[str, str]) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


def har_entry(
    request: httpx.Request,
    credential: Credential,
    attempt: Attempt,
    redactor: Redacts,
    *,
    max_body_bytes: int,
    cut_by_run_deadline: bool = False,
    finished_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The HAR entry of one attempt (RAW data in, nothing unredacted out)."""
    finished_at = finished_at or dt.datetime.now(dt.UTC)
    started = finished_at - dt.timedelta(seconds=attempt.elapsed_s)
    elapsed_ms = round(attempt.elapsed_s * 1000, 3)
    request_headers = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
    ]
    lowered = {name.lower(): value for name, value in attempt.headers}
    url = request.url
    response: dict[str, Any] = {
        "status": attempt.status or 0,
        "statusText": _status_text(attempt.status),
        "httpVersion": "HTTP/1.1" if attempt.status else "",
        "cookies": [],
        "headers": _records(attempt.headers, redactor),
        "content": _content(attempt, lowered, redactor),
        "redirectURL": redactor.redact(lowered.get("location", "")),
        "headersSize": -1,
        "bodySize": -1,
    }
    entry: dict[str, Any] = {
        "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": elapsed_ms,
        "request": {
            "method": request.method,
            "url": redactor.redact(str(url)),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _records(request_headers, redactor),
            "queryString": _records(url.params.multi_items(), redactor),
            "headersSize": -1,
            "bodySize": len(request.content) if request.content else 0,
        },
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": elapsed_ms, "receive": 0},
        "_credential": credential.value,
    }
    kind = "RunDeadline" if cut_by_run_deadline else _error_kind(attempt)
    if kind is not None:
        error = attempt.error or str(attempt.failure or "") or kind
        entry["_error"] = redactor.redact(error)
        entry["_errorKind"] = kind
    if attempt.truncated:
        entry["_capped"] = {
            "limit": max_body_bytes,
            "read": len(attempt.body),
            "declared": _declared_length(lowered),
        }
    return entry
