"""Faults in paging: page sizes, cursors, walks and their ends (REQ-PAG-*)."""

from __future__ import annotations

import base64
from dataclasses import replace

from conformance.mock.faults._common import cursor_for, in_place, replacing
from conformance.mock.faults.base import fault
from conformance.mock.model import ApiError, Body, Ctx, Limits, Query, Window


@fault("count-is-total", hook="payload")
@in_place
def _count_is_total(window: Window, body: Body) -> None:
    body["pagination"]["count"] = window.total


@fault("page-size-off-by-one", hook="window")
def _off_by_one(ctx: Ctx, window: Window) -> Window:
    return replace(window, limit=window.limit + 1)


fault("per-page-ignored", hook="query")(replacing(per_page=Limits().default_per_page))
fault("no-max-per-page", hook="limits")(replacing(max_per_page=1000))
fault("default-page-size-20", hook="limits")(replacing(default_per_page=20))
fault("page-ignored", hook="query")(replacing(page=1))
fault("cursor-ignored", hook="query")(replacing(cursor=None))


@fault("overlapping-pages", hook="window")
def _overlap(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    return replace(window, next_offset=max(window.next_offset - 1, 1))


@fault("skipped-items", hook="window")
def _skip(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    next_offset = window.next_offset + 1
    has_next = next_offset < window.total
    return replace(window, next_offset=next_offset if has_next else None, has_next=has_next)


@fault("looping-cursor", hook="window")
def _loop(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return replace(window, next_offset=0, has_next=True)
    return window


@fault("unstable-order", hook="window")
def _unstable(ctx: Ctx, window: Window) -> Window:
    shift = ctx.sequence

    def order(position: int, total: int) -> int:
        return (position + shift) % total

    return replace(window, order=order)


@fault("has-next-page-false", hook="payload")
@in_place
def _has_next_page_false(window: Window, body: Body) -> None:
    body["pagination"]["hasNextPage"] = False


@fault("cursor-on-last-page", hook="payload")
@in_place
def _cursor_on_last_page(window: Window, body: Body) -> None:
    if "cursor" not in body["pagination"]:
        body["pagination"]["cursor"] = cursor_for(window, window.offset + window.limit)


@fault("null-cursor-on-last-page", hook="payload")
@in_place
def _null_cursor_on_last_page(window: Window, body: Body) -> None:
    body["pagination"].setdefault("cursor", None)


@fault("beyond-end-404", hook="window")
def _beyond_end_404(ctx: Ctx, window: Window) -> Window:
    if window.offset >= window.total > 0:
        raise ApiError(404, "Page not found", "not-found")
    return window


fault("invalid-params-accepted", hook="limits")(replacing(strict=False))


def _b64_cursor_out(ctx: Ctx, text: str) -> str:
    return base64.b64encode(bytes.fromhex(text) + b"\xff").decode()


@fault("cursor-needs-escaping", hook="cursor_in", cursor_out=_b64_cursor_out)
def _b64_cursor_in(ctx: Ctx, text: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return text
    return raw[:-1].hex() if raw.endswith(b"\xff") else text


@fault("per-page-minus-one", hook="query")
def _per_page_minus_one(ctx: Ctx, query: Query) -> Query:
    if ctx.cell is None or ctx.cell.size not in ("small", "max") or query.cursor is not None:
        return query
    return replace(query, per_page=max(1, query.per_page - 1))


@fault("has-next-page-at-exact-multiple", hook="window")
def _has_next_at_exact_multiple(ctx: Ctx, window: Window) -> Window:
    exactly_full = window.limit == window.per_page and window.offset + window.limit == window.total
    if window.next_offset is None and window.total and exactly_full:
        return replace(window, next_offset=window.total, has_next=True)
    return window
