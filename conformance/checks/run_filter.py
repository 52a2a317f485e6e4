"""The runId filter: one run's containers, named in data.runId, on every page."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Violation, check
from conformance.checks._common import is_client_error, status_text, wrong_status
from conformance.checks._probes import pagination_differences, still_differs
from conformance.probes import plan
from conformance.walker import Page, content_difference

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.walker import Walk


def _other_runs(ctx: CheckContext) -> dict[str, Page]:
    """The first page of each other run the check can find, by run id."""
    return {run: ctx.run_listing(run) for run in ctx.other_runs()}


def _walks(ctx: CheckContext) -> list[Walk]:
    walks = [ctx.full_walk("cursor"), ctx.full_walk("page")]
    with contextlib.suppress(NotRun):
        walks += [ctx.small_walk("cursor"), ctx.small_walk("page")]
    return walks


@check("NF-RUN-001")
def filtered_listing_names_its_run(ctx: CheckContext) -> None:
    """Callers match containers to runs by data.runId; a wrong one files them under another run."""
    run_id = ctx.walk_run_id()
    page = ctx.run_listing(run_id)
    if not page.readable:
        raise wrong_status(
            page.exchange, expected=f"200 with a listing for runId={run_id!r}, a run of the job"
        )
    if page.run_id != run_id:
        raise Violation(
            expected=f"data.runId={run_id!r}",
            received=f"data.runId={page.run_id!r}",
            evidence=page.exchange.excerpt(),
        )


@check("NF-RUN-002")
def filter_kept_on_every_page(ctx: CheckContext) -> None:
    """The official clients resend runId with each cursor; a later page must not drop it."""
    run_id = ctx.walk_run_id()
    elsewhere = {name: other for other, page in _other_runs(ctx).items() for name in page.names}
    for walk in _walks(ctx):
        for number, page in enumerate(walk.pages, start=1):
            if not page.readable:
                continue
            if page.run_id != run_id:
                raise Violation(
                    expected=f"data.runId={run_id!r} on every page",
                    received=f"{walk.describe()}: page {number} has data.runId={page.run_id!r}",
                    evidence=page.exchange.excerpt(),
                )
            foreign = [name for name in page.names if name in elsewhere]
            if foreign:
                raise Violation(
                    expected=f"only containers of run {run_id!r} on every page",
                    received=(
                        f"{walk.describe()}: page {number} lists {foreign[0]!r} "
                        f"of run {elsewhere[foreign[0]]!r}"
                    ),
                    evidence=page.exchange.excerpt(),
                )


@check("NF-RUN-003")
def runs_share_no_container(ctx: CheckContext) -> None:
    """A container belongs to one run; seeing it under two means the filter is not applied."""
    others = _other_runs(ctx)
    if not others:
        raise NotRun("the job has a single run that can be found; the filter needs two")
    mine = ctx.full_walk("cursor")
    listings = [
        (ctx.walk_run_id(), set(mine.names), mine.pages[0]),
        *((other, set(page.names), page) for other, page in others.items()),
    ]
    for index, (run_id, names, page) in enumerate(listings):
        for other, other_names, other_page in listings[index + 1 :]:  # every pair of runs
            shared = sorted(names & other_names)
            if shared:
                raise Violation(
                    expected=f"no container of run {run_id!r} in the listing of run {other!r}",
                    received=f"{len(shared)} shared, e.g. {shared[0]!r}",
                    evidence=[page.exchange.excerpt(), other_page.exchange.excerpt()],
                )


@check("NF-RUN-004")
def unfiltered_listing_names_latest_run(ctx: CheckContext) -> None:
    """Which run comes back without runId is undocumented; the latest is what callers expect."""
    latest = ctx.runs()[0]
    page = ctx.first_page()
    if not page.readable:
        raise NotRun(f"the listing without parameters answered {status_text(page.exchange)}")
    if page.run_id != latest:
        raise Violation(
            expected=f"data.runId={latest!r}, the newest run GET .../runs lists",
            received=f"data.runId={page.run_id!r}",
            evidence=page.exchange.excerpt(),
        )
    for probe in plan(ctx):  # every route and page size of the listing without runId
        first = probe.pages.get("first")
        if probe.run_filter != "unfiltered" or first is None or not first.readable:
            continue
        if first.run_id != latest:
            raise Violation(
                expected=f"data.runId={latest!r}, the newest run GET .../runs lists",
                received=f"{probe.describe()}: data.runId={first.run_id!r}",
                evidence=first.exchange.excerpt(),
            )


@check("NF-RUN-005")
def unfiltered_listing_matches_named_run(ctx: CheckContext) -> None:
    """data.runId is how callers learn which run they are looking at; it must be that run: the
    same page, containers and pagination alike, at the default page size and at 100."""
    page = ctx.first_page()
    if not page.readable or not isinstance(page.run_id, str) or not page.run_id:
        raise NotRun("the listing without parameters names no run; see NF-HTTP-001, NF-SCH-001")
    run_id = page.run_id
    pairs = [(page, Page.parse(ctx.fetch({"runId": run_id})))]
    widest = next(
        (p.pages.get("first") for p in plan(ctx) if p.slice == ("project", "unfiltered", "max")),
        None,
    )
    if widest is not None and widest.readable and widest.run_id == run_id:
        pairs.append((widest, ctx.run_listing(run_id)))
    for unfiltered, filtered in pairs:
        if _listings_differ(unfiltered, filtered) is None:
            continue
        # a running run may have changed between the two: asked again around a still listing
        asked_again = still_differs(ctx, unfiltered, filtered, _listings_differ)
        if asked_again:
            problem, unfiltered, filtered = asked_again
            raise Violation(
                expected=f"the same page as with runId={run_id} (containers and pagination)",
                received=problem,
                evidence=[unfiltered.exchange.excerpt(), filtered.exchange.excerpt()],
            )


def _listings_differ(unfiltered: Page, filtered: Page) -> str | None:
    """How two answers of one listing differ; their order is NF-PAG-012's (a SHOULD)."""
    if sorted(filtered.names) != sorted(unfiltered.names):
        return (
            f"{unfiltered.items} containers without runId, {filtered.items} with it "
            f"({status_text(filtered.exchange)}), first {list(unfiltered.names[:1])!r} vs "
            f"{list(filtered.names[:1])!r}"
        )
    if differences := pagination_differences(unfiltered, filtered):
        field, mine, theirs = differences[0]
        return f"{field} {mine!r} without runId, {theirs!r} with it"
    described = content_difference(unfiltered, filtered)
    return f"{described} (without runId, with it)" if described else None


@check("NF-RUN-006")
def unknown_run_id_lists_nothing(ctx: CheckContext) -> None:
    """Answering an unknown run with another run's containers silently misleads the caller."""
    run_id = ctx.unknown_run_id()
    page = Page.parse(ctx.fetch({"runId": run_id}))
    exchange = page.exchange
    if exchange.status == 404:
        return
    if page.readable and page.items:
        raise Violation(
            expected=f"404 or no containers for runId={run_id!r}, a run the job does not have",
            received=f"{page.items} containers, data.runId={page.run_id!r}",
            evidence=exchange.excerpt(),
        )
    if page.readable:
        if page.run_id != run_id:
            raise Advisory(
                f"an empty list for an unknown runId names data.runId={page.run_id!r}",
                evidence=exchange.excerpt(),
            )
        return
    if is_client_error(exchange):
        raise Advisory(
            f"{exchange.status} for an unknown runId; 404 or an empty list is the expected answer",
            evidence=exchange.excerpt(),
        )
    raise wrong_status(exchange, expected="404 or an empty list for an unknown runId")


@check("NF-RUN-007")
def every_filtered_page_names_its_run(ctx: CheckContext, page: Page) -> str | None:
    """Cursor, page-number, last and past-the-end pages all answer for the run asked for."""
    wanted = page.exchange.params.get("runId")
    if not page.readable or not wanted:
        return None
    if not page.items and wanted not in ctx.received.runs:
        return None  # an empty answer for a run the job may not have: NF-RUN-006's to judge
    if isinstance(page.run_id, str) and page.run_id.casefold() == wanted.casefold():
        return ""  # the run's own id for one asked in another letter case: NF-RUN-008 warns
    return f"data.runId={page.run_id!r} for runId={wanted!r}"


def near_misses(run_id: str) -> list[tuple[str, str, bool]]:
    """Ids that only resemble ``run_id``: (id, how, whether listing the run must fail)."""
    misses = [(f"{run_id}0", "with a trailing character", True)]
    if len(run_id) > 1:
        misses.append((run_id[:-1], "without its last character", True))
    if run_id.swapcase() != run_id:
        misses.append((run_id.swapcase(), "in the other letter case", False))
    return misses


@check("NF-RUN-008")
def near_miss_run_ids_list_nothing(ctx: CheckContext) -> None:
    """A prefix or suffix match on runId hands a caller another run's containers as its own."""
    run_id = ctx.walk_run_id()
    walk = ctx.full_walk("cursor")
    mine = set(walk.names) if walk.complete else set(walk.pages[0].names)
    for other, how, required in near_misses(run_id):
        exchange = ctx.fetch({"per_page": 100, "runId": other})
        page = Page.parse(exchange)
        if exchange.status is not None and exchange.status < 500 and not page.items:
            continue  # 404, another 4xx or an empty listing: no run of that id
        shared = [name for name in page.names if name in mine]
        if not required and page.items and len(shared) == page.items:
            raise Advisory(
                f"runId={other!r} ({run_id!r} {how}) lists run {run_id!r}: run ids are "
                "treated case-insensitively, as UUIDs may be",
                evidence=exchange.excerpt(),
            )
        if not page.items:
            received = status_text(exchange)
        elif shared:
            received = f"{page.items} containers, {len(shared)} of them run {run_id!r}'s"
        else:
            received = f"{page.items} containers, data.runId={page.run_id!r}"
        raise Violation(
            expected=f"404 or no containers for runId={other!r}, {run_id!r} {how}",
            received=received,
            evidence=exchange.excerpt(),
        )
