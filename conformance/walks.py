"""Walking a run's pages: one listing response as the clients read it, and a bounded walk.

:class:`Page` reads one listing response as forgivingly as the official clients do;
:func:`read_pages` reads a run's pages one after another, by cursor or by page number, into a
:class:`Walk`. A walk always ends within a bounded number of requests: a repeated cursor, a page
repeating an earlier page, or the page cap stop it, so a looping target never hangs the run.
Which walks a run makes, and how each page is fetched and judged, is
:class:`conformance.context.CheckContext`'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from conformance.target import Exchange

WalkMode = Literal["cursor", "page"]
WalkOutcome = Literal["complete", "partial", "loop", "error", "cap"]


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


ReadPage = Callable[[dict[str, Any]], Page]  # GET one page of the walk, parsed and judged
ReleasePage = Callable[[Page], Page]  # a judged page that may not become evidence: no body


def read_pages(walk: Walk, read: ReadPage, release: ReleasePage, max_pages: int) -> Walk:
    """Read ``walk``'s pages into it: ``walk.limit`` pages at most, else to the end or
    ``max_pages``; ``read`` GETs a page, ``release`` drops the body of one kept for no reason."""
    base: dict[str, Any] = {"per_page": walk.per_page, "runId": walk.run_id}
    params = dict(base)
    seen_cursors: dict[str, int] = {}
    seen_content: dict[tuple[str, ...], int] = {}
    page_number = 1
    # name -> the page that listed it first. A dict, not a set: in CPython 3.11 a set of N names
    # is larger than a dict of them (16-byte slots at most 60% full against a compact table),
    # and the page numbers are shared ints, one per page.
    first_seen: dict[str, int] = {}
    keep_previous = True
    for number in range(1, (walk.limit or max_pages) + 1):
        page = read(params)
        keep = _note_names(walk, page, number, first_seen)
        empty_after_more = page.readable and not page.items  # evidence for NF-PAG-010
        if not keep_previous and not (empty_after_more and walk.last.has_next_page):
            walk.pages[-1] = release(walk.last)
        walk.pages.append(page)
        keep_previous = keep
        if not page.readable:
            walk.outcome, walk.problem = "error", f"page {number} is not a readable listing"
            return walk
        if page.names in seen_content:
            earlier = seen_content[page.names]
            walk.outcome = "loop"
            walk.problem = f"page {number} repeats the items of page {earlier}"
            return walk
        seen_content[page.names] = number
        if page.has_next_page is not True:
            return walk
        if walk.mode == "cursor" and page.cursor is not None:
            if page.cursor in seen_cursors:
                earlier = seen_cursors[page.cursor]
                walk.outcome = "loop"
                walk.problem = f"page {number} repeats the cursor of page {earlier}"
                return walk
            seen_cursors[page.cursor] = number
            params = {**base, "cursor": page.cursor}
        else:  # the official Python client's fallback: no cursor, so page + 1
            page_number += 1
            params = {**base, "page": page_number}
    walk.outcome = "partial" if walk.limit else "cap"
    if walk.outcome == "cap":
        walk.problem = f"hasNextPage still true after {max_pages} pages"
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
