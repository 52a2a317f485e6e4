"""Pagination walks by cursor and by page number: they end, agree and list each container once."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Violation, check
from conformance.checks import _probes
from conformance.checks._common import is_client_error, status_text, wrong_status
from conformance.probes import plan
from conformance.spec import MAX_PER_PAGE
from conformance.walker import Page, content_difference

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.walker import Walk, WalkMode


def _walks(ctx: CheckContext, mode: WalkMode) -> list[Walk]:
    """The full walk in ``mode`` and, when the run has several items, the small one."""
    walks = [ctx.full_walk(mode)]
    with contextlib.suppress(NotRun):
        walks.append(ctx.small_walk(mode))
    return walks


def _all_walks(ctx: CheckContext) -> list[Walk]:
    return _walks(ctx, "cursor") + _walks(ctx, "page")


def _first_difference(left: list[str], right: list[str]) -> str:
    for index, (mine, theirs) in enumerate(zip(left, right, strict=False)):
        if mine != theirs:
            return f"item {index + 1} is {mine!r} in one and {theirs!r} in the other"
    return f"one has {len(left)} items, the other {len(right)}"


def _beyond_end(ctx: CheckContext) -> tuple[Walk, Page]:
    """The complete page walk at the largest page size, and the page after its last."""
    walk = ctx.full_walk("page")
    if not walk.complete:
        raise NotRun(f"the {walk.describe()} did not end normally ({walk.outcome})")
    params = {"per_page": walk.per_page, "runId": walk.run_id, "page": len(walk.pages) + 1}
    return walk, Page.parse(ctx.fetch(params))


def _walks_end(walks: list[Walk]) -> None:
    for walk in walks:
        if walk.outcome in ("complete", "partial"):
            continue
        last = walk.last.exchange
        if walk.outcome == "error" and len(walk.pages) == 1:
            raise NotRun(f"the first page of the {walk.describe()} answered {status_text(last)}")
        if walk.outcome == "cap":
            raise NotRun(
                f"the {walk.describe()} read {len(walk.pages)} pages without reaching the end; "
                "pass --run-id with a smaller run"
            )
        if walk.outcome == "error":
            raise Violation(
                expected="every page the walk asks for answers 200 with a listing",
                received=f"{walk.describe()}: page {len(walk.pages)} answered {status_text(last)}",
                evidence=last.excerpt(),
            )
        raise Violation(
            expected="a walk that ends with hasNextPage false",
            received=f"{walk.describe()}: {walk.problem}",
            evidence=last.excerpt(),
        )


@check("NF-PAG-004")
def cursor_walk_terminates(ctx: CheckContext) -> None:
    """A looping or refused cursor makes the official clients' all() hang or fail."""
    _walks_end(_walks(ctx, "cursor"))


@check("NF-PAG-005")
def page_walk_terminates(ctx: CheckContext) -> None:
    """Callers paging by number stop only when hasNextPage turns false."""
    _walks_end(_walks(ctx, "page"))


def _each_once(walks: list[Walk]) -> None:
    for walk in walks:
        if walk.duplicate is not None:
            name, first, number = walk.duplicate
            raise Violation(
                expected="each container exactly once in a walk",
                received=f"{walk.describe()}: {name!r} on page {first} and {number}",
                evidence=walk.pages[number - 1].exchange.excerpt(),
            )


@check("NF-PAG-006")
def cursor_walk_lists_each_once(ctx: CheckContext) -> None:
    """Overlapping cursor pages make callers count, act on or bill a container twice."""
    _each_once(_walks(ctx, "cursor"))


@check("NF-PAG-007")
def page_walk_lists_each_once(ctx: CheckContext) -> None:
    """Overlapping numbered pages make callers see a container twice."""
    _each_once(_walks(ctx, "page"))


@check("NF-PAG-008")
def cursor_and_page_walks_agree(ctx: CheckContext) -> None:
    """The Python SDK mixes both (page + 1 when no cursor): they must be the same listing."""
    pairs = list(zip(_walks(ctx, "cursor"), _walks(ctx, "page"), strict=False))
    compared = 0
    for by_cursor, by_page in pairs:
        if by_cursor.outcome not in ("complete", "partial"):
            continue
        if by_page.outcome not in ("complete", "partial"):
            continue
        compared += 1
        if by_cursor.names != by_page.names:
            raise Violation(
                expected=f"the same containers in the same order at per_page={by_page.per_page}",
                received="cursor vs page walk: "
                + _first_difference(by_cursor.names, by_page.names),
                evidence=[by_cursor.last.exchange.excerpt(), by_page.last.exchange.excerpt()],
            )
        for number, (cursor_page, number_page) in enumerate(
            zip(by_cursor.pages, by_page.pages, strict=False), start=1
        ):
            if content_difference(cursor_page, number_page) is None:
                continue
            # asked again: a run that is still changing passes, and both bodies name the field
            cursor_page = _probes.again(ctx, cursor_page)
            number_page = _probes.again(ctx, number_page)
            if described := content_difference(cursor_page, number_page):
                raise Violation(
                    expected=f"each container alike on both walks at per_page={by_page.per_page}",
                    received=f"page {number} by cursor and by page number: {described}",
                    evidence=[cursor_page.exchange.excerpt(), number_page.exchange.excerpt()],
                )
    problem = _probes.cursor_and_page_disagree(ctx)
    if problem is not None:
        raise Violation(problem.expected, problem.received, evidence=problem.evidence)
    if not compared:
        raise NotRun("no pair of walks ended normally; see NF-PAG-004 and NF-PAG-005")


MID_SIZES = range(8, 50)  # page sizes no other request asks for: above the small walks, below 50


def mid_page_size(seed: int) -> int:
    """The run's page size between the small walks and the default one (from its seed)."""
    return MID_SIZES[(seed * 2654435761) % len(MID_SIZES)]


@check("NF-PAG-009")
def page_sizes_agree(ctx: CheckContext) -> None:
    """Changing per_page must change how a listing is cut, never what it holds or its order."""
    full = ctx.full_walk("cursor")
    if not full.complete:
        raise NotRun(f"the {full.describe()} did not end normally; see NF-PAG-004")
    others: list[tuple[str, list[str], Page]] = []
    for walk in _walks(ctx, "cursor")[1:] + _walks(ctx, "page")[1:]:
        if walk.outcome in ("complete", "partial"):
            others.append((walk.describe(), walk.names, walk.last))
    default = Page.parse(ctx.fetch({"runId": full.run_id}))
    if default.readable:
        others.append(("the default-size first page", list(default.names), default))
    mid = mid_page_size(ctx.seed)
    sized = Page.parse(ctx.fetch({"runId": full.run_id, "per_page": mid}))
    if not sized.readable:  # a valid per_page of a run that is there: a listing is due
        raise wrong_status(sized.exchange, expected=f"a listing of the run at per_page={mid}")
    others.append((f"the first page at per_page={mid}", list(sized.names), sized))
    for label, names, page in others:
        if names != full.names[: len(names)]:
            raise Violation(
                expected=f"the first {len(names)} containers of the per_page=100 walk, in order",
                received=f"{label}: {_first_difference(names, full.names[: len(names)])}",
                evidence=page.exchange.excerpt(),
            )


@check("NF-PAG-010")
def has_next_page_matches_next_page(ctx: CheckContext) -> None:
    """Clients stop on hasNextPage false and keep asking on true: both must be right."""
    walks = _all_walks(ctx)
    if not any(page.readable for walk in walks for page in walk.pages):
        raise NotRun("no walk received a readable page; see NF-HTTP-001")
    for walk in walks:
        for number, (page, after) in enumerate(zip(walk.pages, walk.pages[1:], strict=False), 1):
            if page.has_next_page and after.readable and not after.items:
                raise Violation(
                    expected="a page after every page with hasNextPage true to have containers",
                    received=f"{walk.describe()}: page {number + 1} is empty",
                    evidence=[page.exchange.excerpt(), after.exchange.excerpt()],
                )
    with contextlib.suppress(NotRun):  # NF-PAG-005 reports why the page walk broke
        _has_next_page_meets_the_end(ctx)
    problem = _probes.has_next_page_wrong(ctx)  # every probe page against the page after it
    if problem is not None:
        raise Violation(problem.expected, problem.received, evidence=problem.evidence)
    _empty_listings_promise_nothing(ctx)


def _empty_listings_promise_nothing(ctx: CheckContext) -> None:
    """An empty listing of another run (an empty run, say) that claims a next page: follow it
    once; when that page is empty too, hasNextPage promised a page that is not there."""
    with contextlib.suppress(NotRun):
        for run_id in ctx.other_runs():
            first = ctx.run_listing(run_id)
            if not (first.readable and not first.items and first.has_next_page):
                continue
            extra = {"cursor": first.cursor} if first.cursor else {"page": 2}
            after = Page.parse(ctx.fetch({"per_page": MAX_PER_PAGE, "runId": run_id, **extra}))
            if after.readable and not after.items:
                raise Violation(
                    expected="hasNextPage false on an empty listing with nothing after it",
                    received=f"run {run_id!r}: an empty first page says hasNextPage true, and "
                    "the page after it is empty too",
                    evidence=[first.exchange.excerpt(), after.exchange.excerpt()],
                )


def _has_next_page_meets_the_end(ctx: CheckContext) -> None:
    """The last page of the walks at per_page=100: neither page + 1 nor its cursor lists more."""
    walk, beyond = _beyond_end(ctx)
    seen = set(walk.names)
    unseen = [name for name in beyond.names if name not in seen]
    if beyond.readable and unseen:
        raise Violation(
            expected="no further containers after a page with hasNextPage false",
            received=f"page {len(walk.pages) + 1} lists {len(unseen)} containers not seen before",
            evidence=[walk.last.exchange.excerpt(), beyond.exchange.excerpt()],
        )
    last = ctx.full_walk("cursor")
    if last.complete and last.last.cursor is not None:
        params = {"per_page": last.per_page, "runId": last.run_id, "cursor": last.last.cursor}
        followed = Page.parse(ctx.fetch(params))
        fresh = [name for name in followed.names if name not in set(last.names)]
        if followed.readable and fresh:
            raise Violation(
                expected="hasNextPage true when the cursor leads to more containers",
                received=f"the last page's cursor leads to {len(fresh)} more containers",
                evidence=followed.exchange.excerpt(),
            )


@check("NF-PAG-012")
def repeated_request_same_order(ctx: CheckContext) -> None:
    """Any stable order works for paging; an order that changes between requests does not."""
    walk = ctx.full_walk("cursor")
    first = walk.pages[0]
    if not first.readable:
        raise NotRun(f"the first page of the {walk.describe()} is not a readable listing")
    again = Page.parse(ctx.client.get(first.exchange.path, dict(first.exchange.params)))
    if again.names != first.names:
        raise Violation(
            expected="the same containers in the same order for the same request",
            received=_first_difference(list(first.names), list(again.names)),
            evidence=[first.exchange.excerpt(), again.exchange.excerpt()],
        )


@check("NF-PAG-013")
def page_beyond_end_is_empty(ctx: CheckContext) -> None:
    """A caller that asks one page too far must learn that there is nothing more."""
    walk, beyond = _beyond_end(ctx)
    repeated = len(set(beyond.names) & set(walk.names))
    _past_the_end_is_empty(
        beyond, None, f"{beyond.items} containers, {repeated} of them already seen"
    )
    _every_page_past_the_end(ctx)


def _past_the_end_is_empty(beyond: Page, where: str | None, listed: str) -> None:
    """200 with no containers (a 4xx warns) for the page after the last; ``where`` names the
    listing (None: the walk's own), ``listed`` says what it holds when it holds containers."""
    exchange = beyond.exchange
    if is_client_error(exchange):
        raise Advisory(
            f"{exchange.status} for a page past the end{f' ({where})' if where else ''}; an "
            "empty 200 page is the usual answer",
            evidence=exchange.excerpt(),
        )
    if not beyond.readable:
        status = status_text(exchange)
        raise Violation(
            expected="200 with no containers, or a 4xx",
            received=f"{where}: {status}" if where else status,
            evidence=exchange.excerpt(),
        )
    if beyond.items:
        raise Violation(
            expected="no containers on a page past the last",
            received=f"{where}: {listed}" if where else listed,
            evidence=exchange.excerpt(),
        )


def _every_page_past_the_end(ctx: CheckContext) -> None:
    """The page after the last of every probe listing (each route, filter and page size)."""
    for probe in plan(ctx):
        beyond = probe.pages.get("past-end")
        if beyond is not None:
            number = probe.numbers.get("past-end")
            listed = f"{beyond.items} containers on page {number}"
            _past_the_end_is_empty(beyond, probe.describe(), listed)
