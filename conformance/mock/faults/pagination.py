"""Faults in paging: page sizes, cursors, walks and their ends (REQ-PAG-*)."""

from __future__ import annotations

import base64
from dataclasses import replace

from conformance.mock.faults._common import cursor_for, in_place, replacing
from conformance.mock.faults.base import fault
from conformance.mock.model import ApiError, Body, Ctx, Limits, Query, Window


@fault(
    "count-is-total",
    "REQ-PAG-COUNT",
    "pagination.count is the run's total, not this page's count",
    hook="payload",
)
@in_place
def _count_is_total(window: Window, body: Body) -> None:
    body["pagination"]["count"] = window.total


@fault(
    "page-size-off-by-one",
    "REQ-PAG-PER-PAGE",
    "each page lists per_page + 1 containers (an inclusive slice end)",
    hook="window",
)
def _off_by_one(ctx: Ctx, window: Window) -> Window:
    return replace(window, limit=window.limit + 1)


fault(
    "per-page-ignored",
    "REQ-PAG-PER-PAGE",
    "per_page is validated, then ignored: pages hold 50",
    hook="query",
)(replacing(per_page=Limits().default_per_page))
fault(
    "no-max-per-page",
    "REQ-PAG-MAX-100",
    "per_page up to 1000 is honoured: pages hold more than 100 containers",
    hook="limits",
)(replacing(max_per_page=1000))
fault(
    "default-page-size-20",
    "REQ-PAG-DEFAULT-SIZE",
    "without per_page, pages hold 20 containers instead of 50",
    hook="limits",
)(replacing(default_per_page=20))
fault(
    "page-ignored",
    "REQ-PAG-PAGE",
    "the page parameter is ignored: every page is the first",
    hook="query",
)(replacing(page=1))
fault(
    "cursor-ignored",
    "REQ-PAG-CURSOR",
    "the cursor parameter is ignored: every cursor leads back to the first page",
    hook="query",
)(replacing(cursor=None))


@fault(
    "overlapping-pages",
    "REQ-PAG-WALK",
    "the next cursor starts one container early: pages overlap by one",
    hook="window",
)
def _overlap(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    return replace(window, next_offset=max(window.next_offset - 1, 1))


@fault(
    "skipped-items",
    "REQ-PAG-WALK",
    "the next cursor starts one container late: a walk misses one per page",
    hook="window",
)
def _skip(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    next_offset = window.next_offset + 1
    has_next = next_offset < window.total
    return replace(window, next_offset=next_offset if has_next else None, has_next=has_next)


@fault(
    "looping-cursor",
    "REQ-PAG-TERMINATES",
    "the last page says hasNextPage true with a cursor back to the first page",
    hook="window",
)
def _loop(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return replace(window, next_offset=0, has_next=True)
    return window


@fault(
    "unstable-order",
    "REQ-PAG-STABLE-ORDER",
    "the order rotates with every request",
    hook="window",
)
def _unstable(ctx: Ctx, window: Window) -> Window:
    shift = ctx.sequence

    def order(position: int, total: int) -> int:
        return (position + shift) % total

    return replace(window, order=order)


@fault(
    "has-next-page-false",
    "REQ-PAG-HAS-NEXT-PAGE",
    "hasNextPage is false on every page, even when a cursor follows",
    hook="payload",
)
@in_place
def _has_next_page_false(window: Window, body: Body) -> None:
    body["pagination"]["hasNextPage"] = False


@fault(
    "cursor-on-last-page",
    "REQ-PAG-LAST-PAGE",
    "the last page carries a cursor (to an empty page)",
    hook="payload",
)
@in_place
def _cursor_on_last_page(window: Window, body: Body) -> None:
    if "cursor" not in body["pagination"]:
        body["pagination"]["cursor"] = cursor_for(window, window.offset + window.limit)


@fault(
    "null-cursor-on-last-page",
    "REQ-PAG-LAST-PAGE",
    "the last page carries cursor: null",
    hook="payload",
)
@in_place
def _null_cursor_on_last_page(window: Window, body: Body) -> None:
    body["pagination"].setdefault("cursor", None)


@fault(
    "beyond-end-404",
    "REQ-PAG-BEYOND-END",
    "a page past the end is 404, not an empty page",
    hook="window",
)
def _beyond_end_404(ctx: Ctx, window: Window) -> Window:
    if window.offset >= window.total > 0:
        raise ApiError(404, "Page not found", "not-found")
    return window


fault(
    "invalid-params-accepted",
    "REQ-PAG-INVALID-PARAMS",
    "invalid per_page, page or cursor silently fall back to defaults (200)",
    hook="limits",
)(replacing(strict=False))


def _b64_cursor_out(ctx: Ctx, text: str) -> str:
    return base64.b64encode(bytes.fromhex(text) + b"\xff").decode()


@fault(
    "cursor-needs-escaping",
    "REQ-PAG-CURSOR-URL-SAFE",
    "cursors are standard base64 with '/', '+' and '=' that clients must URL-encode",
    hook="cursor_in",
    cursor_out=_b64_cursor_out,
)
def _b64_cursor_in(ctx: Ctx, text: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return text
    return raw[:-1].hex() if raw.endswith(b"\xff") else text


@fault(
    "per-page-minus-one",
    "REQ-PAG-FULL-PAGES",
    "an explicit per_page shows one container fewer on every page (consistently)",
    hook="query",
)
def _per_page_minus_one(ctx: Ctx, query: Query) -> Query:
    if ctx.cell is None or ctx.cell.size not in ("small", "max") or query.cursor is not None:
        return query
    return replace(query, per_page=max(1, query.per_page - 1))


@fault(
    "has-next-page-at-exact-multiple",
    "REQ-PAG-HAS-NEXT-PAGE",
    "a last page that is exactly full says hasNextPage true, with a cursor to an empty page",
    hook="window",
)
def _has_next_at_exact_multiple(ctx: Ctx, window: Window) -> Window:
    exactly_full = window.limit == window.per_page and window.offset + window.limit == window.total
    if window.next_offset is None and window.total and exactly_full:
        return replace(window, next_offset=window.total, has_next=True)
    return window
