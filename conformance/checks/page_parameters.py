"""Pagination parameters: per_page, page and cursor out of range, and the default page size.

How a server treats an out-of-range or malformed per_page or page (a 4xx, a clamp, the default
page size or the first page) is not documented: any of these passes, leniency warns. What
stays MUST: no 5xx, no page over 100, and a lenient answer is a valid listing of the requested
run. A cursor the server never issued names no page, so it is a client error (4xx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import MAX_EVIDENCE, Advisory, NotRun, check
from conformance.checks._common import expect_client_error, fail_if_any, status_text
from conformance.spec import MAX_PER_PAGE, validate_body
from conformance.walker import Page

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange

DOCUMENTED_DEFAULT = 50
BAD_PER_PAGE = ("0", "-1", "abc")  # rejected, or read as some page size
ABOVE_MAX_PER_PAGE = ("101", "1000")  # rejected, or clamped to at most 100
BAD_PAGE = ("0", "-1", "abc")  # rejected, or read as some page (the first, say)
BAD_CURSORS = ("not a cursor/+&=?", "nf-conformance-invalid-cursor")


def _listing_problem(ctx: CheckContext, page: Page, run_id: str) -> str | None:
    """Why a 200 to an invalid value is not a valid listing of run ``run_id``, else None."""
    if not page.readable:
        return "a 200 that is not a listing"
    shape = validate_body(200, page.exchange.json)
    if shape:
        return f"a listing outside the documented shape ({shape[0]})"
    if page.run_id != run_id:
        return f"a listing of run {page.run_id!r}, not of the requested {run_id!r}"
    if page.items > MAX_PER_PAGE:
        return f"{page.items} containers on one page, over the maximum of {MAX_PER_PAGE}"
    walk = ctx.full_walk("cursor")
    if walk.complete and walk.run_id == run_id:
        foreign = sorted(set(page.names) - set(walk.names))
        if foreign:
            return f"container {foreign[0]!r}, which the run's own walk never listed"
    return None


def _judge_invalid_values(
    ctx: CheckContext, name: str, values: tuple[str, ...], *, expected: str
) -> None:
    """What stays MUST for an invalid value: an answer below 500 and, if the server reads the
    value leniently (the documentation leaves that open), a valid listing of the requested run;
    leniency itself only warns (REQ-PAG-INVALID-PARAMS is SHOULD)."""
    run_id = ctx.walk_run_id()
    problems: list[tuple[Exchange, str]] = []
    lenient: list[tuple[Exchange, str]] = []
    for value in values:
        exchange = ctx.fetch({name: value, "runId": run_id})
        what = f"{name}={value!r}"
        status = exchange.status
        if status is not None and 400 <= status < 500:
            continue
        if status != 200:
            problems.append((exchange, f"{status_text(exchange)} for {what}"))
            continue
        page = Page.parse(exchange)
        problem = _listing_problem(ctx, page, run_id)
        if problem is not None:
            problems.append((exchange, f"{problem} for {what}"))
        else:
            lenient.append((exchange, f"{what} answered 200 with {page.items} containers"))
    fail_if_any(problems, expected=expected, out_of=len(values), noun="requests")
    if lenient:
        raise Advisory(
            "; ".join(text for _, text in lenient)
            + f": the server reads an invalid {name} leniently (the documentation leaves that "
            "open); a 400 would tell the caller about the mistake",
            evidence=[exchange.excerpt() for exchange, _ in lenient[:MAX_EVIDENCE]],
        )


@check("NF-PAG-014")
def invalid_per_page_rejected_or_clamped(ctx: CheckContext) -> None:
    """A server error or an unbounded page on bad input is a crash or a resource drain."""
    _judge_invalid_values(
        ctx,
        "per_page",
        BAD_PER_PAGE + ABOVE_MAX_PER_PAGE,
        expected="a 4xx, or a valid listing of the requested run of at most 100 containers",
    )


@check("NF-PAG-015")
def invalid_page_rejected(ctx: CheckContext) -> None:
    """Pages start at 1; page=0 or page=abc may be refused or read as a page, never crash."""
    _judge_invalid_values(
        ctx,
        "page",
        BAD_PAGE,
        expected="a 4xx, or a valid listing of the requested run",
    )


@check("NF-PAG-016")
def malformed_cursor_rejected(ctx: CheckContext) -> None:
    """A cursor the server never issued must not silently restart or crash the listing."""
    run_id = ctx.walk_run_id()
    for value in BAD_CURSORS:
        expect_client_error(
            ctx.fetch({"cursor": value, "runId": run_id}),
            what=f"cursor={value!r}",
            expected="a 4xx for a cursor the server never issued",
        )


@check("NF-PAG-017")
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
