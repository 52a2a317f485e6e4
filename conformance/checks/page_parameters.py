"""Pagination parameters: per_page, page and cursor out of range, and the default page size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, Level, NotRun, Violation, check
from conformance.checks._common import expect_client_error, status_text
from conformance.spec import MAX_PER_PAGE
from conformance.walks import Page

if TYPE_CHECKING:
    from conformance.context import CheckContext

DOCUMENTED_DEFAULT = 50
BAD_PER_PAGE = ("0", "-1", "abc")  # must be rejected
ABOVE_MAX_PER_PAGE = ("101", "1000")  # rejected, or clamped to at most 100
BAD_PAGE = ("0", "-1", "abc")
BAD_CURSORS = ("not a cursor/+&=?", "nf-conformance-invalid-cursor")


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
