"""The run's plan over the path matrix: one probe per route x run filter x page size.

A probe reads one listing (a route, with or without runId, at one page size) at each position
and by each access of :mod:`conformance.matrix`, in at most nine requests however long the
listing: the first page and its cursor's page (a two-page cursor walk), page 1, page N-1, the
page the cursor of page N-1 leads to, page N and page N+1, where N is the listing's number of
pages; on a run's listing also the pages the cursors of page 1 (by number) and page 2 (by
cursor) lead to, when they differ from the cursors already followed. Pages a walk of the run
already holds are reused, never asked for again. One more probe reads the walk run's listing
at a page size that divides its length (:func:`exact_fit`). The checks
compare a probe's pages (by cursor and by number, on both routes) and every page is judged by
every response-scope check as it arrives. Cells a probe cannot reach get the reason in the
run's :class:`conformance.matrix.Coverage`.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from conformance.catalog import NotRun
from conformance.matrix import (
    CELLS,
    MAX_PER_PAGE,
    RouteName,
    RunFilter,
    Size,
)
from conformance.walker import Page

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.walker import Walk

SMALL_PER_PAGE = 7  # the largest small page size (the context's small walks use the same)
DISCOVERY_PAGES = 5  # the unfiltered listing's size is learned from at most 5 pages of 100
LABELS = ("first", "next", "page-1", "page-before-last", "cursor-last", "page-last", "past-end")
# followed only when a server issues a different cursor on another path (_follow_new_cursors)
EXTRA_LABELS = ("page-1-next", "next-next")


@dataclass
class Probe:
    """One listing (route, run filter, page size) read at every position it has."""

    route: RouteName
    run_filter: RunFilter
    size: Size
    run_id: str | None
    per_page: int | None
    total: int | None = None  # containers in the listing, when known
    pages: dict[str, Page] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # label -> page number asked for

    @property
    def slice(self) -> tuple[RouteName, RunFilter, Size]:
        return (self.route, self.run_filter, self.size)

    @property
    def page_count(self) -> int | None:
        """N, the listing's number of pages, when its size and page size are known."""
        if self.total is None:
            return None
        if not self.total:
            return 0
        per_page = self.per_page or self._default_size()
        return math.ceil(self.total / per_page) if per_page else None

    def _default_size(self) -> int | None:
        first = self.pages.get("first")
        if first is None or not first.readable:
            return None
        if first.has_next_page is not True:
            return max(self.total or 0, 1)  # the whole listing on one page
        return first.items or None

    def describe(self) -> str:
        run = f"runId={self.run_id!r}" if self.run_id else "no runId"
        size = f"per_page={self.per_page}" if self.per_page else "default page size"
        return f"{self.route} route, {run}, {size}"


def plan(ctx: CheckContext) -> list[Probe]:
    """Every probe of the run (memoised): the path matrix's reachable cells, each reached."""
    key = ("matrix-plan",)
    if key not in ctx.cache:  # a plan cut short (budget, deadline) raises again next time
        ctx.cache[key] = _plan(ctx)
    probes: list[Probe] = ctx.cache[key]
    return probes


def _plan(ctx: CheckContext) -> list[Probe]:
    routes: list[RouteName] = ["project"]
    if ctx.settings.team_id:
        routes.append("team")
    else:
        _unreachable(ctx, "no team id: pass --team-id to reach the team route", route="team")
    listings: list[tuple[RunFilter, str | None, int | None]] = []
    with contextlib.suppress(NotRun):
        listings.append(("runId", ctx.walk_run_id(), _filtered_total(ctx)))
    if not any(kind == "runId" for kind, _, _ in listings):
        _unreachable(ctx, "no run to filter by: pass --run-id", run_filter="runId")
    listings.insert(0, ("unfiltered", None, _unfiltered_total(ctx)))
    probes = []
    sizes: tuple[Size, ...] = ("max", "default", "small")
    for run_filter, run_id, total in listings:
        for route in routes:
            for size in sizes:
                probe = Probe(route, run_filter, size, run_id, _per_page(size, total), total)
                _read(ctx, probe)
                probes.append(probe)
    return probes


def exact_fit(ctx: CheckContext) -> Probe | None:
    """The walk run's listing at a page size that divides its length (memoised): its last page
    by number, exactly full, and the page after it. Off-by-one bugs in hasNextPage live at
    exact multiples, which the other page sizes reach only when the run's length happens to
    be one. None when the length is unknown or has no such page size."""
    key = ("exact-fit",)
    if key not in ctx.cache:
        ctx.cache[key] = _exact_fit(ctx)
    found: Probe | None = ctx.cache[key]
    return found


def exact_page_size(total: int) -> int | None:
    """The largest page size that splits ``total`` into two or more full pages; else ``total``
    itself when one page holds it; else None."""
    for size in range(min(total // 2, MAX_PER_PAGE), 1, -1):
        if total % size == 0:
            return size
    return total if 0 < total <= MAX_PER_PAGE else None


def _exact_fit(ctx: CheckContext) -> Probe | None:
    walk_probe = next((p for p in plan(ctx) if p.slice == ("project", "runId", "small")), None)
    if walk_probe is None or not walk_probe.total:
        return None
    per_page = exact_page_size(walk_probe.total)
    if per_page is None:
        return None
    size: Size = "max" if per_page == MAX_PER_PAGE else "small"
    probe = Probe("project", "runId", size, walk_probe.run_id, per_page, walk_probe.total)
    count = walk_probe.total // per_page
    probe.pages["page-last"], probe.numbers["page-last"] = _get(ctx, probe, {"page": count}), count
    probe.pages["past-end"] = _get(ctx, probe, {"page": count + 1})
    probe.numbers["past-end"] = count + 1
    return probe


def _filtered_total(ctx: CheckContext) -> int | None:
    walk = ctx.full_walk("cursor")
    return len(walk.names) if walk.complete else None


def _unfiltered_total(ctx: CheckContext) -> int | None:
    walk = ctx.walk("cursor", None, MAX_PER_PAGE, limit=DISCOVERY_PAGES)
    return len(walk.names) if walk.complete else None


def _per_page(size: Size, total: int | None) -> int | None:
    if size == "max":
        return MAX_PER_PAGE
    if size == "default":
        return None
    if total is None:
        return SMALL_PER_PAGE
    return max(1, min(SMALL_PER_PAGE, math.ceil(total / 3)))


def _cursor_walk(ctx: CheckContext, probe: Probe) -> Walk:
    """Two pages by cursor, or a walk of the run that already holds them."""
    for walk in ctx.walks():
        same = (walk.mode, walk.run_id, walk.per_page, walk.route) == (
            "cursor",
            probe.run_id,
            probe.per_page,
            probe.route,
        )
        if same and (walk.limit is None or walk.limit >= 2 or not walk.complete):
            return walk
    return ctx.walk("cursor", probe.run_id, probe.per_page, limit=2, route=probe.route)


def _get(ctx: CheckContext, probe: Probe, extra: dict[str, Any]) -> Page:
    """GET the probe's listing with ``extra`` (page or cursor); a page a walk holds is reused."""
    params: dict[str, Any] = {"per_page": probe.per_page, "runId": probe.run_id, **extra}
    query = {key: str(value) for key, value in params.items() if value is not None}
    path = ctx.containers_path(probe.route)
    for walk in ctx.walks():
        for page in walk.pages:
            if page.exchange.path == path and page.exchange.params == query:
                return page
    return Page.parse(ctx.fetch(query, route=probe.route))


def _read(ctx: CheckContext, probe: Probe) -> None:
    walk = _cursor_walk(ctx, probe)
    first = walk.pages[0]
    probe.pages["first"] = first
    if not first.readable:
        _unreachable_slice(ctx, probe, f"the first page answered {first.exchange.status}")
        return
    if len(walk.pages) > 1:
        probe.pages["next"] = walk.pages[1]
    probe.pages["page-1"] = _get(ctx, probe, {"page": 1})
    count = probe.page_count
    if count is None:
        _unreachable_slice(
            ctx,
            probe,
            "the listing's length is unknown (its walk did not end within "
            f"{DISCOVERY_PAGES} pages of 100): no last page by number",
            positions=("last", "past-end", "middle"),
            accesses=("page", "cursor"),
        )
        return
    if count >= 3:
        before = _get(ctx, probe, {"page": count - 1})
        probe.pages["page-before-last"], probe.numbers["page-before-last"] = before, count - 1
        if before.cursor is not None:
            probe.pages["cursor-last"] = _get(ctx, probe, {"cursor": before.cursor})
    if count >= 2:
        probe.pages["page-last"] = _get(ctx, probe, {"page": count})
        probe.numbers["page-last"] = count
    probe.pages["past-end"] = _get(ctx, probe, {"page": max(count, 1) + 1})
    probe.numbers["past-end"] = max(count, 1) + 1
    if probe.run_filter == "runId":  # a concluded run: its pages do not move between requests
        _follow_new_cursors(ctx, probe)
    _explain(ctx, probe, count)


# (page, the label of the page its cursor leads to, the page that must hold the same): a cursor
# issued on another code path than the one the probe follows, followed only when it differs
# from the cursor already followed to the same page: a server whose cursors name the position
# costs nothing; one that issues a new cursor on every answer gets FOLLOW_UPS requests a run, so
# a default live run stays within 150 requests
_NEW_CURSORS = (("page-1", "page-1-next", "next"), ("next", "next-next", "page-last"))
FOLLOW_UPS = 2


def _follow_new_cursors(ctx: CheckContext, probe: Probe) -> None:
    before = probe.pages.get("page-before-last")
    followed = {probe.pages["first"].cursor, before.cursor if before else None}
    for label, after, same in _NEW_CURSORS:
        page, other = probe.pages.get(label), probe.pages.get(same)
        if page is None or other is None or page.cursor is None or page.cursor in followed:
            continue
        if after == "next-next" and probe.page_count != 3:
            continue  # page 3 is the last page, which the probe holds by number, only when N = 3
        allowance = ctx.allowance("follow-ups", FOLLOW_UPS)
        if not allowance.left:
            return
        with allowance.spending():
            probe.pages[after] = _get(ctx, probe, {"cursor": page.cursor})
        followed.add(page.cursor)


def _explain(ctx: CheckContext, probe: Probe, count: int) -> None:
    """Record why the probe's listing leaves some of its cells unreached."""
    size = probe.describe()
    if count:
        _unreachable_slice(
            ctx,
            probe,
            f"the listing ({size}) has {probe.total} containers, none empty",
            positions=("empty",),
        )
    else:
        _unreachable_slice(
            ctx, probe, f"the listing ({size}) is empty", positions=("first", "middle", "last")
        )
    if count >= 2:
        _unreachable_slice(
            ctx,
            probe,
            f"the listing ({size}) spans {count} pages: its first page is not its last",
            positions=("last",),
            accesses=("plain",),
        )
    else:
        _unreachable_slice(
            ctx,
            probe,
            f"the listing ({size}) fits one page: no cursor is issued",
            accesses=("cursor",),
        )
    if count < 3:
        _unreachable_slice(
            ctx,
            probe,
            f"the listing ({size}) has {probe.total} containers: {count} page(s), "
            "too few for a middle page",
            positions=("middle",),
        )


def _unreachable_slice(
    ctx: CheckContext,
    probe: Probe,
    reason: str,
    *,
    positions: tuple[str, ...] | None = None,
    accesses: tuple[str, ...] | None = None,
) -> None:
    for cell in CELLS:
        if cell.slice != probe.slice:
            continue
        if positions is not None and cell.position not in positions:
            continue
        if accesses is not None and cell.access not in accesses:
            continue
        ctx.received.coverage.why_not(cell, reason)


def _unreachable(
    ctx: CheckContext, reason: str, *, route: str | None = None, run_filter: str | None = None
) -> None:
    for cell in CELLS:
        if route is not None and cell.route != route:
            continue
        if run_filter is not None and cell.run_filter != run_filter:
            continue
        ctx.received.coverage.why_not(cell, reason)
