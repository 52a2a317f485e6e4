"""Walking a run's pages: one listing response as the clients read it, and the one walker.

:class:`Page` reads one listing response as forgivingly as the official clients do;
:func:`walk_pages` is the one walker: it reads pages one after another into a :class:`Walk`,
going where a ``follow`` strategy says after each page. :func:`read_pages` walks as the official
clients do (:func:`sdk_follow`: by cursor, or by page number); the property walk follows the
fragment's OpenAPI link instead (:mod:`conformance.properties.links`). A walk always ends within a
bounded number of requests: a repeated cursor, a page repeating an earlier page, or the page cap
stop it, so a looping target never hangs the run. Which walks a run makes, and how each page is
fetched and judged, is :class:`conformance.context.CheckContext`'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

from conformance.target import Exchange

WalkMode = Literal["cursor", "page"]
# How a walk ended. complete: a last page (hasNextPage not true); partial: its page limit;
# cap: still more after the page cap; error: a page that is no readable listing; loop: a repeated
# cursor or page; no-cursor: hasNextPage true but nothing to follow (a link walk only).
WalkOutcome = Literal["complete", "partial", "cap", "error", "loop", "no-cursor"]


# The documented fields of a container: what a container says about itself on any page
CONTAINER_FIELDS = ("name", "createdAt", "status", "updatedAt")
BYOC_FIELDS = ("nodeName", "nodePoolUserId", "nodePoolProviderId", "host", "ipAddresses")


def _documented(container: Any) -> str:
    """A container's documented fields as one text (undocumented extras left out: they may
    change from one answer to the next)."""
    if not isinstance(container, dict):
        return json.dumps(container, default=str)
    fields = CONTAINER_FIELDS + BYOC_FIELDS
    return json.dumps([container.get(name) for name in fields], default=str)


def _contents(items: list[Any]) -> int:
    """One number for what a page's containers say of themselves, whatever their order."""
    return hash(tuple(sorted(_documented(item) for item in items)))


def content_difference(page: Page, other: Page) -> str | None:
    """How two pages listing the same containers describe one of them differently (documented
    fields only), or None: the first container and field that differ while the bodies are kept,
    else what differs in general."""
    if sorted(page.names) != sorted(other.names) or page.contents == other.contents:
        return None
    mine, theirs = _by_name(page), _by_name(other)
    for name in (name for name in mine if name in theirs):  # both bodies kept: say where
        for key in CONTAINER_FIELDS + BYOC_FIELDS:
            ours, yours = mine[name].get(key), theirs[name].get(key)
            if ours != yours:
                return f"container {name!r} has {key} {ours!r} on one, {yours!r} on the other"
    fields = ", ".join(CONTAINER_FIELDS[1:])
    return f"the same {page.items} containers with other documented fields ({fields}, ...)"


def _by_name(page: Page) -> dict[str, dict[str, Any]]:
    data = page.exchange.json.get("data") if isinstance(page.exchange.json, dict) else None
    items = data.get("containers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return {}
    named = (c for c in items if isinstance(c, dict) and isinstance(c.get("name"), str))
    return {str(c["name"]): c for c in named}


def _identity(container: Any) -> str:
    """What makes a container itself: its name, or the whole object when it has none."""
    if isinstance(container, dict) and isinstance(container.get("name"), str):
        return str(container["name"])
    return json.dumps(container, sort_keys=True, default=str)


@dataclass(frozen=True)
class Page:
    """One listing response, read as forgivingly as the official clients read it."""

    exchange: Exchange
    readable: bool  # 200 with ``data`` and ``pagination`` objects
    names: tuple[str, ...]  # one identity per item of data.containers (absent: none)
    has_next_page: bool | None  # None when missing or not a boolean
    has_cursor: bool  # pagination carries a ``cursor`` key, even null or empty
    cursor: str | None  # a cursor the official clients would send back
    count: Any
    run_id: Any
    contents: int = 0  # what the containers say of themselves (documented fields), any order

    @classmethod
    def parse(cls, exchange: Exchange) -> Page:
        body = exchange.json if exchange.status == 200 else None
        data = body.get("data") if isinstance(body, dict) else None
        pagination = body.get("pagination") if isinstance(body, dict) else None
        readable = isinstance(data, dict) and isinstance(pagination, dict)
        data = data if isinstance(data, dict) else {}
        pagination = pagination if isinstance(pagination, dict) else {}
        containers = data.get("containers")
        items = containers if isinstance(containers, list) else []
        has_next = pagination.get("hasNextPage")
        cursor = pagination.get("cursor")
        return cls(
            exchange=exchange,
            readable=readable,
            names=tuple(_identity(item) for item in items),
            has_next_page=has_next if isinstance(has_next, bool) else None,
            has_cursor="cursor" in pagination,
            cursor=cursor if isinstance(cursor, str) and cursor else None,
            count=pagination.get("count"),
            run_id=data.get("runId"),
            contents=_contents(items),
        )

    @property
    def items(self) -> int:
        return len(self.names)

    def without_body(self) -> Page:
        """This page, its parsed fields kept but not its exchange's body and JSON."""
        return replace(self, exchange=self.exchange.without_body())


@dataclass
class Walk:
    """The pages of one run read one after another, by cursor or by page number.

    Each page keeps its parsed fields and names; once judged, a page keeps its body only where
    it may become evidence: the first and last pages, an unreadable, empty or foreign page, the
    page before an empty one and the first page that repeats a name (``duplicate``).
    """

    mode: WalkMode
    run_id: str | None
    per_page: int | None
    limit: int | None  # None: to the end (up to the page cap)
    pages: list[Page] = field(default_factory=list)
    outcome: WalkOutcome = "complete"
    problem: str = ""
    duplicate: tuple[str, int, int] | None = None  # the first name seen twice: pages (a, b)
    route: str = "project"  # the listing's route: "project" or "team"

    @property
    def names(self) -> list[str]:
        return [name for page in self.pages if page.readable for name in page.names]

    @property
    def complete(self) -> bool:
        return self.outcome == "complete"

    @property
    def last(self) -> Page:
        return self.pages[-1]

    def describe(self) -> str:
        size = f"per_page={self.per_page}" if self.per_page else "default page size"
        where = " on the team route" if self.route == "team" else ""
        return f"{self.mode} walk of run {self.run_id!r} at {size}{where}"


Request = TypeVar("Request")  # what one step of a walk asks for: query params, a case, ...


@dataclass(frozen=True)
class Next(Generic[Request]):
    """Where a walk goes after a page with hasNextPage true: the next request, and the cursor it
    sends back (a cursor seen before is a loop); no request when the page gives no way on."""

    request: Request | None
    cursor: str | None = None
    problem: str = ""  # why there is no next request


Follow = Callable[[Page, int], Next[Request]]  # page ``number`` had hasNextPage true: go where?
ReadPage = Callable[[dict[str, Any]], Page]  # GET one page of the walk, parsed and judged
ReleasePage = Callable[[Page], Page]  # a judged page that may not become evidence: no body


def read_pages(walk: Walk, read: ReadPage, release: ReleasePage, max_pages: int) -> Walk:
    """Read ``walk``'s pages into it as the official clients do: ``walk.limit`` pages at most,
    else to the end or ``max_pages``; ``read`` GETs a page, ``release`` drops the body of one
    kept for no reason."""
    base: dict[str, Any] = {"per_page": walk.per_page, "runId": walk.run_id}
    return walk_pages(walk, base, read, sdk_follow(walk, base), release, max_pages)


def sdk_follow(walk: Walk, base: dict[str, Any]) -> Follow[dict[str, Any]]:
    """The official clients' next request: the cursor (cursor mode), else page + 1 (the Python
    client's fallback when a page has no cursor, and the page-number mode)."""
    page_number = 1

    def follow(page: Page, number: int) -> Next[dict[str, Any]]:
        nonlocal page_number
        if walk.mode == "cursor" and page.cursor is not None:
            return Next({**base, "cursor": page.cursor}, cursor=page.cursor)
        page_number += 1
        return Next({**base, "page": page_number})

    return follow


def walk_pages(
    walk: Walk,
    first: Request,
    read: Callable[[Request], Page],
    follow: Follow[Request],
    release: ReleasePage,
    max_pages: int,
) -> Walk:
    """The one walker: read ``first``, then where ``follow`` says, into ``walk``, until the last
    page, an unreadable page, a loop (a repeated cursor or page), no way on, ``walk.limit``
    pages or ``max_pages``. Every repeated name is noted (``walk.duplicate``), never fatal."""
    request: Request = first
    seen_cursors: dict[str, int] = {}
    seen_content: dict[tuple[str, ...], int] = {}
    # name -> the page that listed it first. A dict, not a set: in CPython 3.11 a set of N names
    # is larger than a dict of them (16-byte slots at most 60% full against a compact table),
    # and the page numbers are shared ints, one per page.
    first_seen: dict[str, int] = {}
    keep_previous = True
    for number in range(1, (walk.limit or max_pages) + 1):
        page = read(request)
        keep = _note_names(walk, page, number, first_seen)
        empty_after_more = page.readable and not page.items  # evidence for NF-PAG-010
        if not keep_previous and not (empty_after_more and walk.last.has_next_page):
            walk.pages[-1] = release(walk.last)
        walk.pages.append(page)
        keep_previous = keep
        if not page.readable:
            return _ended(walk, "error", f"page {number} is not a readable listing")
        if page.names in seen_content:
            earlier = seen_content[page.names]
            return _ended(walk, "loop", f"page {number} repeats the items of page {earlier}")
        seen_content[page.names] = number
        if page.has_next_page is not True:
            return walk
        step = follow(page, number)
        if step.request is None:
            return _ended(walk, "no-cursor", f"page {number}: {step.problem}")
        if step.cursor is not None:
            if step.cursor in seen_cursors:
                earlier = seen_cursors[step.cursor]
                return _ended(walk, "loop", f"page {number} repeats the cursor of page {earlier}")
            seen_cursors[step.cursor] = number
        request = step.request
    if walk.limit:
        return _ended(walk, "partial", "")
    return _ended(walk, "cap", f"hasNextPage still true after {max_pages} pages")


def _ended(walk: Walk, outcome: WalkOutcome, problem: str) -> Walk:
    walk.outcome, walk.problem = outcome, problem
    return walk


def _note_names(walk: Walk, page: Page, number: int, first_seen: dict[str, int]) -> bool:
    """Record the walk's first repeated name; True when the page may become evidence
    (the first page, an unreadable or empty page, another run's page, a repeat)."""
    keep = number == 1 or not page.readable or not page.items
    keep = keep or (walk.run_id is not None and page.run_id != walk.run_id)
    for name in page.names if page.readable else ():
        if name not in first_seen:
            first_seen[name] = number
        elif walk.duplicate is None:
            walk.duplicate, keep = (name, first_seen[name], number), True
    return keep
