"""Pagination judged on every page received: counts, page sizes, the 100 cap and the cursor."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from conformance.catalog import check
from conformance.spec import MAX_PER_PAGE

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.walker import Page


def _per_page_limit(params: dict[str, str]) -> int | None:
    try:
        asked = int(params.get("per_page", ""))
    except ValueError:
        return None
    return min(asked, MAX_PER_PAGE) if asked >= 1 else None


@check("NF-PAG-001")
def count_equals_items(ctx: CheckContext, page: Page) -> str | None:
    """count is documented as the number of results this request returned, not a total."""
    if not page.readable:
        return None
    count = page.count
    if isinstance(count, bool) or not isinstance(count, int | float) or count != page.items:
        return f"count={count!r} with {page.items} containers"
    return ""


@check("NF-PAG-002")
def items_within_per_page(ctx: CheckContext, page: Page) -> str | None:
    """per_page is the number of results to display per request; more breaks client paging."""
    if not page.readable:
        return None
    # per_page holds with a cursor too: the official clients resend it with every cursor
    limit = _per_page_limit(page.exchange.params)
    if not limit:
        return None
    return f"{page.items} containers for per_page={limit}" if page.items > limit else ""


@check("NF-PAG-003")
def at_most_100_items(ctx: CheckContext, page: Page) -> str | None:
    """The documentation caps a page at 100 results whatever the request asks for."""
    if not page.readable:
        return None
    return f"{page.items} containers" if page.items > MAX_PER_PAGE else ""


@check("NF-PAG-011")
def cursor_absent_on_last_page(ctx: CheckContext, page: Page) -> str | None:
    """The official JS client follows any cursor, even null, so a last-page cursor loops it."""
    if not page.readable or page.has_next_page is not False:
        return None
    if page.has_cursor:
        return f"hasNextPage false with cursor={page.exchange.json['pagination']['cursor']!r}"
    return ""


@check("NF-PAG-019")
def pages_before_the_last_are_full(ctx: CheckContext, page: Page) -> str | None:
    """per_page is the number of results a request displays, so only the last page is short."""
    limit = _per_page_limit(page.exchange.params)
    if not page.readable or not limit or page.has_next_page is not True:
        return None
    if page.items == limit:
        return ""
    return f"{page.items} containers for per_page={limit} on a page with hasNextPage true"


URL_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


@check("NF-PAG-018")
def cursor_is_url_safe(ctx: CheckContext, page: Page) -> str | None:
    """The official JS client sends cursors back unencoded, so '+', '/' or '=' corrupt them."""
    if not page.readable or not page.cursor:
        return None
    unsafe = sorted(set(page.cursor) - URL_UNRESERVED)
    return f"cursor={page.cursor!r} has {''.join(unsafe)!r}" if unsafe else ""
