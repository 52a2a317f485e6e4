"""What the path-matrix probes (conformance/probes.py) say about the meaning of each field.

Each function compares pairs of the run's probe pages and returns the first problem as a
:class:`Problem` (None: none found): the same page by cursor and by page number, hasNextPage
against the page after, the team route against the project route. A listing whose run may
still be running (no runId, and the run is not known to have concluded) can change between
two requests, so a problem there is only reported when asking again repeats it on a listing that
stood still meanwhile (:func:`still_differs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conformance.catalog import NotRun
from conformance.context import DONE
from conformance.evidence import Evidence
from conformance.probes import exact_fit, plan
from conformance.walker import Page, content_difference

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.probes import Probe

# (label by cursor, label by page number): the same page of the listing reached both ways
SAME_PAGE = (
    ("first", "page-1"),
    ("cursor-last", "page-last"),
    ("page-1-next", "next"),  # the cursors of page 1 by number and of the first page
    ("next-next", "page-last"),  # page 3 by the cursor of page 2 (by cursor) and by number
)
Compare = Callable[[Page, Page], str | None]  # a problem with (page, other page), or None


@dataclass(frozen=True)
class Problem:
    expected: str
    received: str
    evidence: list[Evidence]


def _settled_runs(ctx: CheckContext) -> set[str]:
    try:
        records = ctx.run_records()
    except NotRun:
        return set()
    done = [r for r in records if r.get("concluded") is True or r.get("status") in DONE]
    return {str(r["id"]) for r in done}


def _settled(ctx: CheckContext, probe: Probe) -> bool:
    if probe.run_filter == "runId":
        return True  # the walk run: --run-id, or a run that has concluded
    first = probe.pages.get("first")
    return first is not None and first.run_id in _settled_runs(ctx)


def again(ctx: CheckContext, page: Page) -> Page:
    """The same request asked once more (not from memory), parsed."""
    exchange = page.exchange
    return Page.parse(ctx.client.get(exchange.path, dict(exchange.params)))


def _answer(page: Page) -> tuple[object, ...]:
    """What two answers of one request share when the listing has not changed between them."""
    return (page.exchange.status, page.names, page.contents, page.has_next_page, page.count)


def still_differs(
    ctx: CheckContext, page: Page, other: Page, compare: Compare
) -> tuple[str, Page, Page] | None:
    """``compare`` asked again on a listing that may be changing (a run still running): the
    page, the other page, then the page once more. A difference counts only when the page's
    two answers agree, so the listing stood still around the other's; a listing that moves
    between requests is not judged. Returns (problem, page, other) as asked again."""
    page_again, other_again = again(ctx, page), again(ctx, other)
    problem = compare(page_again, other_again)
    if problem is None or _answer(again(ctx, page)) != _answer(page_again):
        return None
    return problem, page_again, other_again


def _first_problem(
    ctx: CheckContext,
    pairs: list[tuple[Probe, str, str, Page, Page]],
    compare: Compare,
    expected: str,
    *,
    readable_only: bool = True,
) -> Problem | None:
    for probe, label, other_label, page, other in pairs:
        if readable_only and not (page.readable and other.readable):
            continue
        problem = compare(page, other)
        if problem and not _settled(ctx, probe):
            asked_again = still_differs(ctx, page, other, compare)
            problem = asked_again[0] if asked_again else None
        if problem:
            return Problem(
                expected=expected,
                received=f"{probe.describe()}: the {label} and {other_label} pages: {problem}",
                evidence=[page.exchange.excerpt(), other.exchange.excerpt()],
            )
    return None


def _labelled(
    probes: list[Probe], pairs: Callable[[Probe], list[tuple[str, str]]]
) -> list[tuple[Probe, str, str, Page, Page]]:
    found = []
    for probe in probes:
        for label, other_label in pairs(probe):
            page, other = probe.pages.get(label), probe.pages.get(other_label)
            if page is not None and other is not None:
                found.append((probe, label, other_label, page, other))
    return found


# --- by cursor and by page number -----------------------------------------------------------


def _same_page(probe: Probe) -> list[tuple[str, str]]:
    pairs = list(SAME_PAGE)
    if probe.numbers.get("page-before-last") == 2:
        pairs.append(("next", "page-before-last"))  # page 2 by cursor and by number
    if probe.page_count == 2:
        pairs.append(("next", "page-last"))
    return pairs


def _names_differ(page: Page, other: Page) -> str | None:
    if page.names == other.names:
        described = content_difference(page, other)
        return f"{described}, by cursor and by page number" if described else None
    return f"{_first(page)} by cursor, {_first(other)} by page number"


def _first(page: Page) -> str:
    return f"{page.items} containers (first {list(page.names[:1])!r})"


def cursor_and_page_disagree(ctx: CheckContext) -> Problem | None:
    """The first page reached by cursor that differs from the same page reached by number."""
    return _first_problem(
        ctx,
        _labelled(plan(ctx), _same_page),
        _names_differ,
        "the same containers by cursor and by page number",
    )


# --- hasNextPage and the page after ---------------------------------------------------------


def _followers(probe: Probe) -> list[tuple[str, str]]:
    """(page, the page after it) pairs among a probe's pages."""
    pairs = [("first", "next"), ("page-before-last", "cursor-last"), ("cursor-last", "past-end")]
    if "page-before-last" in probe.numbers:
        pairs.append(("page-before-last", "page-last"))
    if probe.page_count == 1:
        pairs.append(("page-1", "past-end"))
    pairs.append(("page-last", "past-end"))
    return pairs


def _next_contradicts(page: Page, after: Page) -> str | None:
    if page.has_next_page is True and not after.items:
        return "hasNextPage true, and the page after it is empty"
    fresh = [name for name in after.names if name not in set(page.names)]
    if page.has_next_page is False and fresh:
        return f"hasNextPage false, and the page after it lists {len(fresh)} containers"
    return None


def has_next_page_wrong(ctx: CheckContext) -> Problem | None:
    """A page whose hasNextPage the page after it (by cursor or by number) contradicts."""
    exact = exact_fit(ctx)
    return _first_problem(
        ctx,
        _labelled([*plan(ctx), *([exact] if exact else [])], _followers),
        _next_contradicts,
        "hasNextPage true exactly when the next page (by cursor or page + 1) has containers",
    )


# --- the team route and the project route ---------------------------------------------------


def routes_differ(ctx: CheckContext) -> Problem | None:
    """A page of the team route that differs from the same page of the project route."""
    found = {probe.slice: probe for probe in plan(ctx)}
    pairs = []
    for (route, run_filter, size), team in found.items():
        project = found.get(("project", run_filter, size))
        if route != "team" or project is None:
            continue
        for label, page in team.pages.items():
            other = project.pages.get(label)
            # the same page number on both (a listing that grew between the probes may not)
            if other is not None and _page_number(page) == _page_number(other):
                pairs.append((team, f"team {label}", f"project {label}", page, other))
    return _first_problem(
        ctx,
        pairs,
        route_differences,
        "the same listing on both routes (cursor values may differ)",
        readable_only=False,
    )


def _page_number(page: Page) -> str | None:
    return page.exchange.params.get("page")


def pagination_differences(one: Page, other: Page) -> list[tuple[str, object, object]]:
    """The pagination fields (hasNextPage, count) in which two answers differ, with both values."""
    fields = (
        ("pagination.hasNextPage", one.has_next_page, other.has_next_page),
        ("pagination.count", one.count, other.count),
    )
    return [(label, mine, theirs) for label, mine, theirs in fields if mine != theirs]


def route_differences(team: Page, project: Page) -> str | None:
    """How the team route's page differs from the project route's, or None."""
    if team.exchange.status != project.exchange.status:
        return f"status {team.exchange.status} vs {project.exchange.status}"
    differences = []
    for label, mine, theirs in (
        ("data.runId", team.run_id, project.run_id),
        *pagination_differences(team, project),
        ("a cursor", team.has_cursor, project.has_cursor),
    ):
        if mine != theirs:
            differences.append(f"{label} {mine!r} vs {theirs!r}")
    if team.names != project.names:
        differences.append(
            f"{len(team.names)} containers vs {len(project.names)}, "
            f"first {list(team.names[:2])!r} vs {list(project.names[:2])!r}"
        )
    elif described := content_difference(team, project):
        differences.append(described)
    return "; ".join(differences) or None
