"""What a check's outcome rests on: excerpts of the exchanges involved, as report.json has them.

:class:`Evidence` is one item of a check's ``evidence`` in report.json (see
``report/report.schema.json``, ``$defs/evidence``): the request, the response, and a note.
:meth:`conformance.target.Exchange.excerpt` makes one; a check passes them to ``Violation`` or
``Advisory``. This module imports nothing of the suite, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict


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


def as_list(evidence: Evidence | Sequence[Evidence] | None) -> list[Evidence]:
    """One item, several or none, as the list a check result holds."""
    if evidence is None:
        return []
    if isinstance(evidence, dict):
        return [evidence]
    return list(evidence)
