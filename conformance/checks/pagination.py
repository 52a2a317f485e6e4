"""Pagination: counts and page sizes, and walks by cursor and by page number that agree and end."""

from __future__ import annotations

import contextlib
import string
from typing import TYPE_CHECKING

from conformance.catalog import Advisory, Level, NotRun, Scope, Violation, check
from conformance.checks._common import expect_client_error, status_text
from conformance.context import MAX_PER_PAGE
from conformance.findings import judge_each
from conformance.walks import Page

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.walks import Walk, WalkMode

DOCUMENTED_DEFAULT = 50
BAD_PER_PAGE = ("0", "-1", "abc")  # must be rejected
ABOVE_MAX_PER_PAGE = ("101", "1000")  # rejected, or clamped to at most 100
BAD_PAGE = ("0", "-1", "abc")
BAD_CURSORS = ("not a cursor/+&=?", "nf-conformance-invalid-cursor")


# --- shared ----------------------------------------------------------------------------------


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


def _per_page_limit(params: dict[str, str]) -> int | None:
    try:
        asked = int(params.get("per_page", ""))
    except ValueError:
        return None
    return min(asked, MAX_PER_PAGE) if asked >= 1 else None


# --- every page received -----------------------------------------------------------------


@judge_each("NF-PAG-001")
def _count_problem(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    if not page.readable:
        return None
    count = page.count
    if isinstance(count, bool) or not isinstance(count, int | float) or count != page.items:
        return f"count={count!r} with {page.items} containers"
    return ""


@check(
    id="NF-PAG-001",
    title="pagination.count equals the number of containers returned",
    requirements=["REQ-PAG-COUNT", "REQ-SCH-COUNT"],
    level=Level.MUST,
    scope=Scope.RESPONSES,
)
def count_equals_items(ctx: CheckContext) -> None:
    """count is documented as the number of results this request returned, not a total."""
    findings = ctx.findings("NF-PAG-001")
    findings.require("no 200 listing was received in this run")
    findings.raise_if_any(expected="pagination.count == len(data.containers)")


@judge_each("NF-PAG-002", walks=True)
def _size_problem(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    if not page.readable:
        return None
    if walk is not None:  # cursor pages keep the walk's per_page, as the SDK resends it
        limit = walk.per_page
    elif "cursor" not in page.exchange.params:
        limit = _per_page_limit(page.exchange.params)
    else:
        limit = None
    if not limit:
        return None
    return f"{page.items} containers for per_page={limit}" if page.items > limit else ""


@check(
    id="NF-PAG-002",
    title="A page holds no more containers than per_page asks for",
    requirements=["REQ-PAG-PER-PAGE"],
    level=Level.MUST,
    scope=Scope.RESPONSES,
)
def items_within_per_page(ctx: CheckContext) -> None:
    """per_page is the number of results to display per request; more breaks client paging."""
    findings = ctx.findings("NF-PAG-002")
    findings.require("no listing with a per_page parameter was received in this run")
    findings.raise_if_any(expected="at most per_page containers")


@judge_each("NF-PAG-003")
def _cap_problem(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    if not page.readable:
        return None
    return f"{page.items} containers" if page.items > MAX_PER_PAGE else ""


@check(
    id="NF-PAG-003",
    title="No page holds more than 100 containers",
    requirements=["REQ-PAG-MAX-100"],
    level=Level.MUST,
    scope=Scope.RESPONSES,
)
def at_most_100_items(ctx: CheckContext) -> None:
    """The documentation caps a page at 100 results whatever the request asks for."""
    findings = ctx.findings("NF-PAG-003")
    findings.require("no 200 listing was received in this run")
    findings.raise_if_any(expected="at most 100 containers per page")


@judge_each("NF-PAG-011")
def _last_page_cursor_problem(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    if not page.readable or page.has_next_page is not False:
        return None
    if page.has_cursor:
        return f"hasNextPage false with cursor={page.exchange.json['pagination']['cursor']!r}"
    return ""


@check(
    id="NF-PAG-011",
    title="A page with hasNextPage false carries no cursor",
    requirements=["REQ-PAG-LAST-PAGE"],
    level=Level.MUST,
    scope=Scope.RESPONSES,
)
def cursor_absent_on_last_page(ctx: CheckContext) -> None:
    """The official JS client follows any cursor, even null, so a last-page cursor loops it."""
    findings = ctx.findings("NF-PAG-011")
    findings.require("no last page (hasNextPage false) was received in this run")
    findings.raise_if_any(
        expected="no pagination.cursor key when hasNextPage is false", noun="last pages"
    )


URL_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


@judge_each("NF-PAG-018")
def _cursor_escape_problem(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    if not page.readable or not page.cursor:
        return None
    unsafe = sorted(set(page.cursor) - URL_UNRESERVED)
    return f"cursor={page.cursor!r} has {''.join(unsafe)!r}" if unsafe else ""


@check(
    id="NF-PAG-018",
    title="Cursors need no URL escaping",
    requirements=["REQ-PAG-CURSOR-URL-SAFE", "REQ-PAG-CURSOR-OPAQUE"],
    level=Level.SHOULD,
    scope=Scope.RESPONSES,
)
def cursor_is_url_safe(ctx: CheckContext) -> None:
    """The official JS client sends cursors back unencoded, so '+', '/' or '=' corrupt them."""
    findings = ctx.findings("NF-PAG-018")
    findings.require("no page of this run carried a cursor")
    findings.raise_if_any(
        expected="cursors of URL-unreserved characters only (A-Z a-z 0-9 - . _ ~)",
        noun="cursors",
    )


# --- walks -----------------------------------------------------------------------------------


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


@check(
    id="NF-PAG-004",
    title="A walk by cursor ends without looping",
    requirements=["REQ-PAG-TERMINATES", "REQ-PAG-CURSOR", "REQ-PAG-WALK", "REQ-PAG-CURSOR-OPAQUE"],
    level=Level.MUST,
)
def cursor_walk_terminates(ctx: CheckContext) -> None:
    """A looping or refused cursor makes the official clients' all() hang or fail."""
    _walks_end(_walks(ctx, "cursor"))


@check(
    id="NF-PAG-005",
    title="A walk by page number ends without looping",
    requirements=["REQ-PAG-TERMINATES", "REQ-PAG-PAGE"],
    level=Level.MUST,
)
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


@check(
    id="NF-PAG-006",
    title="A walk by cursor lists each container exactly once",
    requirements=["REQ-PAG-WALK", "REQ-PAG-CURSOR"],
    level=Level.MUST,
)
def cursor_walk_lists_each_once(ctx: CheckContext) -> None:
    """Overlapping cursor pages make callers count, act on or bill a container twice."""
    _each_once(_walks(ctx, "cursor"))


@check(
    id="NF-PAG-007",
    title="A walk by page number lists each container exactly once",
    requirements=["REQ-PAG-PAGE"],
    level=Level.MUST,
)
def page_walk_lists_each_once(ctx: CheckContext) -> None:
    """Overlapping numbered pages make callers see a container twice."""
    _each_once(_walks(ctx, "page"))


@check(
    id="NF-PAG-008",
    title="Walks by cursor and by page number yield the same containers",
    requirements=["REQ-PAG-WALK", "REQ-PAG-CURSOR", "REQ-PAG-PAGE"],
    level=Level.MUST,
)
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
    if not compared:
        raise NotRun("no pair of walks ended normally; see NF-PAG-004 and NF-PAG-005")


@check(
    id="NF-PAG-009",
    title="Walks at different page sizes yield the same containers",
    requirements=["REQ-PAG-PER-PAGE", "REQ-PAG-WALK"],
    level=Level.MUST,
)
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
    for label, names, page in others:
        if names != full.names[: len(names)]:
            raise Violation(
                expected=f"the first {len(names)} containers of the per_page=100 walk, in order",
                received=f"{label}: {_first_difference(names, full.names[: len(names)])}",
                evidence=page.exchange.excerpt(),
            )


@check(
    id="NF-PAG-010",
    title="hasNextPage is true exactly when another page has containers",
    requirements=["REQ-PAG-HAS-NEXT-PAGE", "REQ-SCH-HAS-NEXT-PAGE"],
    level=Level.MUST,
)
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
    try:
        walk, beyond = _beyond_end(ctx)
    except NotRun:
        return  # the walks themselves were judged above; NF-PAG-005 reports why this one broke
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


@check(
    id="NF-PAG-012",
    title="Repeating a request returns the same containers in the same order",
    requirements=["REQ-PAG-STABLE-ORDER"],
    level=Level.SHOULD,
)
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


@check(
    id="NF-PAG-013",
    title="A page past the end answers 200 with no containers",
    requirements=["REQ-PAG-BEYOND-END"],
    level=Level.SHOULD,
)
def page_beyond_end_is_empty(ctx: CheckContext) -> None:
    """A caller that asks one page too far must learn that there is nothing more."""
    walk, beyond = _beyond_end(ctx)
    exchange = beyond.exchange
    if exchange.status is not None and 400 <= exchange.status < 500:
        raise Advisory(
            f"{exchange.status} for a page past the end; an empty 200 page is the usual answer",
            evidence=exchange.excerpt(),
        )
    if not beyond.readable:
        raise Violation(
            expected="200 with no containers, or a 4xx",
            received=status_text(exchange),
            evidence=exchange.excerpt(),
        )
    if beyond.items:
        repeated = len(set(beyond.names) & set(walk.names))
        raise Violation(
            expected="no containers on a page past the last",
            received=f"{beyond.items} containers, {repeated} of them already seen",
            evidence=exchange.excerpt(),
        )


# --- parameters out of range -----------------------------------------------------------------


@check(
    id="NF-PAG-014",
    title="An invalid per_page is rejected with 4xx, or above 100 clamped",
    requirements=[
        "REQ-PAG-INVALID-PARAMS",
        "REQ-HTTP-CLIENT-ERROR",
        "REQ-PAG-MAX-100",
        "REQ-PAG-PER-PAGE",
    ],
    level=Level.MUST,
)
def invalid_per_page_rejected_or_clamped(ctx: CheckContext) -> None:
    """A server error or an unbounded page on bad input is a crash or a resource drain."""
    run_id = ctx.walk_run_id()
    for value in BAD_PER_PAGE:
        expect_client_error(
            ctx.fetch({"per_page": value, "runId": run_id}),
            what=f"per_page={value!r}",
            expected="a 4xx for per_page outside 1..100",
        )
    for value in ABOVE_MAX_PER_PAGE:
        exchange = ctx.fetch({"per_page": value, "runId": run_id})
        page = Page.parse(exchange)
        if page.readable and page.items <= MAX_PER_PAGE:
            continue  # clamped
        if not page.readable:
            expect_client_error(
                exchange,
                what=f"per_page={value!r}",
                expected="a 4xx, or a page of at most 100 containers",
            )
            continue
        raise Violation(
            expected="a 4xx, or a page of at most 100 containers",
            received=f"{page.items} containers for per_page={value!r}",
            evidence=exchange.excerpt(),
        )


@check(
    id="NF-PAG-015",
    title="An invalid page number is rejected with 4xx",
    requirements=["REQ-PAG-INVALID-PARAMS", "REQ-HTTP-CLIENT-ERROR", "REQ-PAG-PAGE"],
    level=Level.MUST,
)
def invalid_page_rejected(ctx: CheckContext) -> None:
    """Pages start at 1; answering page=0 or page=abc with data hides a caller's bug."""
    run_id = ctx.walk_run_id()
    for value in BAD_PAGE:
        expect_client_error(
            ctx.fetch({"page": value, "runId": run_id}),
            what=f"page={value!r}",
            expected="a 4xx for a page number below 1 or not a number",
        )


@check(
    id="NF-PAG-016",
    title="A malformed cursor is rejected with 4xx",
    requirements=["REQ-PAG-INVALID-PARAMS", "REQ-HTTP-CLIENT-ERROR", "REQ-PAG-CURSOR-OPAQUE"],
    level=Level.MUST,
)
def malformed_cursor_rejected(ctx: CheckContext) -> None:
    """A cursor the server never issued must not silently restart or crash the listing."""
    run_id = ctx.walk_run_id()
    for value in BAD_CURSORS:
        expect_client_error(
            ctx.fetch({"cursor": value, "runId": run_id}),
            what=f"cursor={value!r}",
            expected="a 4xx for a cursor the server never issued",
        )


@check(
    id="NF-PAG-017",
    title="The default page size is 50",
    requirements=["REQ-PAG-DEFAULT-SIZE"],
    level=Level.MAY,
)
def default_page_size(ctx: CheckContext) -> None:
    """Any default passes; a default other than the documented 50 surprises callers."""
    run_id = ctx.walk_run_id()
    page = Page.parse(ctx.fetch({"runId": run_id}))
    if not page.readable:
        raise NotRun(f"the listing without per_page answered {status_text(page.exchange)}")
    full = ctx.full_walk("cursor")
    size = len(full.names) if full.complete else None
    if size is None and page.has_next_page is False:
        size = page.items  # the whole run fits on the default page
    expected = DOCUMENTED_DEFAULT if size is None else min(DOCUMENTED_DEFAULT, size)
    if page.items != expected:
        of = f" of the run's {size}" if size is not None else ""
        raise Advisory(
            f"without per_page a page holds {page.items}{of} containers; "
            f"the documented default page size is {DOCUMENTED_DEFAULT}",
            evidence=page.exchange.excerpt(),
        )
