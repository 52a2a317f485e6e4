"""Which cell of the path matrix a containers request lies in, as the clean mock would answer it.

Route (project, team), run filter (unfiltered, runId), access (plain, cursor, page), page size
(small, default, max) and the page's position (first, middle, last, past-end, empty), computed
from the request and the clean mock's own window before any fault runs, so a fault scoped to
a cell (``NAME@team``, ``NAME@cursor,last``; faults/scope.py) hits that cell and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import QueryParams

from conformance.mock import pages
from conformance.mock.fixture import Job
from conformance.mock.model import ApiError, Limits, RequestCell, Window
from conformance.mock.query import parse_query

MAX_PER_PAGE = 100


def _size(text: str | None) -> str | None:
    if text is None:
        return "default"
    if not text.isdigit():
        return None
    value = int(text)
    return "max" if value == MAX_PER_PAGE else "small" if 1 <= value < MAX_PER_PAGE else None


def _access(params: QueryParams) -> str | None:
    if "cursor" in params:
        return "cursor"
    text = params.get("page")
    if text is None:
        return "plain"
    return "page" if text.isdigit() and int(text) >= 1 else None


def positions(window: Window) -> frozenset[str]:
    """Where the clean mock's ``window`` lies in its run's listing."""
    if window.offset >= window.total:
        return frozenset({"empty" if window.offset == 0 else "past-end"})
    found = set()
    if window.offset == 0:
        found.add("first")
    elif window.has_next:
        found.add("middle")
    if not window.has_next:
        found.add("last")
    return frozenset(found)


def request_cell(
    team_route: bool,
    params: QueryParams,
    job: Callable[[], tuple[Job, int]],
    unwrap: Callable[[str], str],
) -> RequestCell:
    """The cell of a containers request; ``job`` resolves it cleanly (or raises ApiError)."""
    found: frozenset[str] = frozenset()
    try:
        resolved, index = job()
        query = parse_query(params, Limits(), resolved, index, unwrap)
        selection = pages.select(resolved, query)
        if selection is not None:
            found = positions(pages.window(resolved, index, query, selection))
    except (ApiError, ValueError, IndexError):
        pass
    return RequestCell(
        route="team" if team_route else "project",
        run_filter="runId" if params.get("runId") else "unfiltered",
        access=_access(params),
        size=_size(params.get("per_page")),
        positions=found,
    )
