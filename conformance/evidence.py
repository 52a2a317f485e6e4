"""What a check's outcome rests on: excerpts of the exchanges involved, as report.json has them.

:class:`Evidence` is one item of a check's ``evidence`` in report.json (see
``report/report.schema.json``, ``$defs/evidence``): the request, the response, and a note.
:meth:`conformance.target.Exchange.excerpt` makes one; a check passes them to ``Violation`` or
``Advisory``. This module imports nothing of the suite, so every layer may use it.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

# How a reproduce command authenticates, by credential: tokens only ever as environment variables.
AUTHORIZATION = {
    "primary": '-H "Authorization: Bearer $NORTHFLANK_API_TOKEN" ',
    "restricted": '-H "Authorization: Bearer $NF_CONFORMANCE_RESTRICTED_TOKEN" ',
    "unknown": "-H 'Authorization: Bearer nf-unknown-token' ",
    "malformed": "-H 'Authorization: Bearer' ",
    "no-scheme": '-H "Authorization: $NORTHFLANK_API_TOKEN" ',
    "none": "",
}


class RequestExcerpt(TypedDict):
    """The request as sent: method, path and query, and which credential (never the token)."""

    method: str
    url: str
    credential: str | None


class ResponseExcerpt(TypedDict):
    """What came back: status, Content-Type and the (redacted, cut) body."""

    status: int | None
    content_type: str | None
    body: str | None
    json_error: NotRequired[str]


class Evidence(TypedDict, total=False):
    """One exchange (or a note) supporting an outcome; every key is optional."""

    request: RequestExcerpt
    response: ResponseExcerpt | None
    error: str | None
    attempts: int
    retried: list[str]
    note: str
    har_entry: int  # the index of this exchange in the run's HAR log.entries (--record)


def as_list(evidence: Evidence | Sequence[Evidence] | None) -> list[Evidence]:
    """One item, several or none, as the list a check result holds."""
    if evidence is None:
        return []
    if isinstance(evidence, dict):
        return [evidence]
    return list(evidence)


def curl(request: Mapping[str, Any], base_url: str | None) -> str:
    """The one reproduce command: a curl line repeating ``request`` (a :class:`RequestExcerpt`)
    against ``base_url``; None is the built-in mock, which ``nf-conformance mock`` serves over
    HTTP at ``$NORTHFLANK_API_BASE_URL``."""
    method = str(request.get("method") or "GET")
    credential = str(request.get("credential") or "primary")
    auth = AUTHORIZATION.get(credential, AUTHORIZATION["primary"])
    url = str(request["url"])
    if base_url is None:
        location = '"$NORTHFLANK_API_BASE_URL"' + shlex.quote(url)
    else:
        location = shlex.quote(base_url.rstrip("/") + url)
    verb = "" if method == "GET" else f"-X {shlex.quote(method)} "
    return f"curl -sS {verb}{auth}{location}"
