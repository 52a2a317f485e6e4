"""One request and what came back, exactly as sent and received: what every check judges.

Nothing here is redacted: a cursor that holds a secret must go back to the target verbatim, and
a check must judge what the target really said. Redaction happens where data leaves the process
(the runner turns evidence into report values through the client's redactor; the report writers
and the log filter redact again). Re-exported by :mod:`conformance.target`; import it from there.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from conformance.evidence import Evidence, ResponseExcerpt
from conformance.target._redaction import CUT  # the redactor hides a secret's start before it

if TYPE_CHECKING:
    from conformance.target._sending import Attempt


class Credential(enum.StrEnum):
    """Which Authorization a request carries."""

    PRIMARY = "primary"  # the token with the required permission
    RESTRICTED = "restricted"  # valid, but without the permission
    NONE = "none"  # no Authorization header at all
    UNKNOWN = "unknown"  # well-formed bearer token the target cannot know
    MALFORMED = "malformed"  # not a bearer token at all
    NO_SCHEME = "no-scheme"  # the primary token without the "Bearer " scheme


NOT_KEPT = "body not kept after judging"  # the json_error of an exchange judged and let go


@dataclass(frozen=True)
class Exchange:
    """One request and what came back, as sent and received (never redacted: secrets leave the
    process only through a redactor). ``json`` is None if not JSON.

    ``status`` is None when no response arrived (then ``error`` says why). ``error`` is set
    for what a check must report as a failure whatever it tests: a redirect (not followed), a
    body over the size cap (``truncated``), no complete response within the per-request
    timeout, a connection lost. A 429 or 5xx still there after the retries is a plain response.
    ``json_error`` says why ``json`` is None (HTML, empty, truncated JSON): the body may be what
    a check expects, so that alone is not an ``error``. ``attempts`` counts the requests sent
    for this exchange; ``retried_statuses`` and ``retried_errors`` say what the retried
    attempts got, so a retry never hides a failure.
    """

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
    json_error: str | None = None
    truncated: bool = False
    attempts: int = 1
    retried_statuses: tuple[int, ...] = ()
    retried_errors: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        query = f"?{urlencode(self.params)}" if self.params else ""
        return f"{self.path}{query}"

    @property
    def is_json(self) -> bool:
        content_type = self.response_headers.get("content-type", "")
        return content_type.split(";")[0].strip().lower() == "application/json"

    @property
    def retried(self) -> bool:
        return self.attempts > 1

    def describe_retries(self) -> str:
        """'' or e.g. 'after 2 retries (503, 503)': for messages that show a retried request."""
        if not self.retried:
            return ""
        seen = [str(status) for status in self.retried_statuses] + list(self.retried_errors)
        count = self.attempts - 1
        return f"after {count} {'retry' if count == 1 else 'retries'} ({', '.join(seen)})"

    def without_body(self) -> Exchange:
        """This exchange without its body and parsed JSON, once every check has judged them."""
        return replace(self, body=b"", json=None, json_error=NOT_KEPT)

    def excerpt(self, limit: int = 2000) -> Evidence:
        """Request and response as evidence, body cut to ``limit`` characters (and marked
        :data:`CUT` when cut here or at the body cap).

        Not redacted: the runner redacts evidence where it becomes a report value.
        ``attempts``/``retried`` and ``response.json_error`` appear only when they say something.
        """
        text = self.body.decode("utf-8", errors="replace")
        if len(text) > limit:
            text = text[:limit] + CUT
        elif self.truncated:
            text += CUT
        response: ResponseExcerpt = {
            "status": self.status,
            "content_type": self.response_headers.get("content-type"),
            "body": text,
        }
        if self.json_error is not None:
            response["json_error"] = self.json_error
        data: Evidence = {
            "request": {
                "method": self.method,
                "url": self.url,
                "credential": self.credential.value,
            },
            "response": response,
            "error": self.error,
        }
        if self.retried:
            data["attempts"] = self.attempts
            data["retried"] = [str(s) for s in self.retried_statuses] + list(self.retried_errors)
        return data


def _headers(pairs: Any) -> dict[str, str]:
    """Lower-cased names; a header given twice is joined with ", "."""
    result: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        result[key] = f"{result[key]}, {value}" if key in result else value
    return result


def parse_json(body: bytes) -> Any:
    """The body's JSON; ValueError with a one-line reason when it is not UTF-8 JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"body is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise ValueError(str(error)) from None


_SURROGATE = re.compile("[\ud800-\udfff]")  # parsed JSON holds pairs joined: these stand alone
MAX_JSON_VALUES = 100_000  # parsed, 10 MB of ``{},`` would take gigabytes and minutes
MAX_JSON_DEPTH = 64  # a listing nests 4 deep; far deeper JSON only endangers whoever reads it


def _json_values(body: bytes) -> int:
    """An upper bound of the values a JSON text holds (fast: a few counts over the bytes)."""
    return body.count(b",") + body.count(b"[") + body.count(b"{") + 1


def json_problem(value: Any) -> str | None:
    """Why parsed JSON is unsafe to judge: nested past MAX_JSON_DEPTH, or a string holding an
    unpaired surrogate (``"\\udc80"``), which no UTF-8 text can carry. None when it is fine."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if found := _SURROGATE.search(node):  # a search, not an encoded copy of the string
                return (
                    f"a string holds an unpaired surrogate ({found.group()!r}), which is "
                    "not valid Unicode"
                )
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            return f"nested deeper than {MAX_JSON_DEPTH} levels"
        items = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        stack.extend((item, depth + 1) for item in items)
    return None


def record(
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    credential: Credential,
    attempt: Attempt,
    elapsed_s: float,
    retried_statuses: list[int],
    retried_errors: list[str],
) -> Exchange:
    """The Exchange for the last attempt of a request, exactly as sent and received."""
    body = attempt.body
    response_headers = _headers(attempt.headers)
    parsed: Any = None
    json_error: str | None = None
    if attempt.status is None:
        json_error = "no response"
    elif attempt.truncated or attempt.timed_out or attempt.incomplete:
        json_error = f"body cut short after {len(attempt.body)} bytes"
    elif attempt.undecodable:
        json_error = f"not parsed: only {len(attempt.body)} bytes decoded"
    elif (values := _json_values(body)) > MAX_JSON_VALUES:
        json_error = (
            f"JSON not parsed: about {values} values, more than the {MAX_JSON_VALUES} a run"
            " reads from one response (a full page of 100 containers holds about 2,000)"
        )
    elif not body:
        json_error = "empty body"
    else:
        try:
            parsed = parse_json(body)
            unusable = json_problem(parsed)
        except ValueError as error:
            kind = response_headers.get("content-type", "no content-type")
            json_error = f"not JSON ({kind}): {error}"
        except Exception as error:  # e.g. RecursionError: whatever the bytes, never a traceback
            json_error = f"JSON not read: {type(error).__name__}: {str(error)[:200]}"
            parsed = None
        else:
            if unusable is not None:
                json_error, parsed = f"JSON not used: {unusable}", None
    return Exchange(
        method=method,
        path=path,
        params=dict(query),
        credential=credential,
        request_headers=_headers(headers.items()),
        status=attempt.status,
        response_headers=response_headers,
        body=body,
        json=parsed,
        error=attempt.error,
        elapsed_s=elapsed_s,
        json_error=json_error,
        truncated=attempt.truncated,
        attempts=len(retried_statuses) + len(retried_errors) + 1,
        retried_statuses=tuple(retried_statuses),
        retried_errors=tuple(retried_errors),
    )
