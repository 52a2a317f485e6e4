"""Our invariants as schemathesis custom checks: ``(ctx, response, case)``, raising AssertionError.

They are passed to ``case.validate_response(checks=[...])`` explicitly, never registered with
``@schemathesis.check`` (that would add them to every schemathesis run in the process). Each reads
what was really sent from ``response.request.url``, not from the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response


def sent_query(response: Response) -> dict[str, str]:
    """The query as it went over the wire (first value of each name)."""
    url = response.request.url or ""
    query: dict[str, str] = {}
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        query.setdefault(name, value)
    return query


def as_int(text: str | None) -> int | None:
    """``text`` as a decimal integer, or None."""
    if text is None or not text.strip().lstrip("+-").isdigit():
        return None
    return int(text)


def json_body(response: Response) -> Any:
    """The body's JSON; None for anything else (not JSON, or JSON nested too deep to read)."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def page_body(response: Response) -> dict[str, Any] | None:
    """A 200 body with ``data`` and ``pagination`` objects; None for anything else."""
    if response.status_code != 200:
        return None
    body = json_body(response)
    if not isinstance(body, dict):
        return None
    if not all(isinstance(body.get(key), dict) for key in ("data", "pagination")):
        return None
    return body


def run_id_matches_filter(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    """A listing asked for with runId=X names run X in data.runId."""
    body = page_body(response)
    asked = sent_query(response).get("runId")
    if body is None or not asked:
        return  # an empty runId is read as no filter, which the documentation does not forbid
    named = body["data"].get("runId")
    if named != asked:
        containers = body["data"].get("containers")
        items = len(containers) if isinstance(containers, list) else 0
        raise AssertionError(
            f"runId={asked!r} was asked for, but data.runId is {named!r} ({items} containers)"
        )
