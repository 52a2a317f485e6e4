"""The path matrix: the code paths one listing request can take, and which one it took.

A real server often has several code paths behind one endpoint, and a bug lives in one of them.
A listing request lies in one cell of route (project, team) x run filter (unfiltered, runId) x
page access (plain: no cursor nor page; cursor; page number) x page size (small: an explicit
per_page below 100; default: no per_page; max: per_page=100) x page position (first, middle,
last, past the end, empty listing). :func:`classify` names the cell(s) of a received page (a
single-page listing is both first and last); the run records how many responses fell in each
cell (:class:`Coverage`), and the report shows which cells the run reached and why not the rest.

Cells no conformant server can produce are left out: a cursor is only issued on a page with a
next page, so a cursor access is never a first page, past the end or an empty listing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from conformance.walker import Page

RouteName = Literal["project", "team"]
RunFilter = Literal["unfiltered", "runId"]
Access = Literal["plain", "cursor", "page"]
Position = Literal["first", "middle", "last", "past-end", "empty"]
Size = Literal["small", "default", "max"]

ROUTES: tuple[RouteName, ...] = ("project", "team")
RUN_FILTERS: tuple[RunFilter, ...] = ("unfiltered", "runId")
ACCESSES: tuple[Access, ...] = ("plain", "cursor", "page")
SIZES: tuple[Size, ...] = ("small", "default", "max")
POSITIONS: tuple[Position, ...] = ("first", "middle", "last", "past-end", "empty")
# The positions each access can reach on a conformant server.
POSITIONS_BY_ACCESS: dict[Access, tuple[Position, ...]] = {
    "plain": ("first", "last", "empty"),
    "cursor": ("middle", "last"),
    "page": ("first", "middle", "last", "past-end", "empty"),
}
MAX_PER_PAGE = 100


@dataclass(frozen=True, order=True)
class Cell:
    """One code path of the listing: where a request went and which page it got."""

    route: RouteName
    run_filter: RunFilter
    access: Access
    size: Size
    position: Position

    @property
    def label(self) -> str:
        return f"{self.route}/{self.run_filter}/{self.access}/{self.size}/{self.position}"

    @property
    def slice(self) -> tuple[RouteName, RunFilter, Size]:
        """The listing the cell belongs to: one route, filter and page size."""
        return (self.route, self.run_filter, self.size)


CELLS: tuple[Cell, ...] = tuple(
    Cell(route, run_filter, access, size, position)
    for route, run_filter, size in itertools.product(ROUTES, RUN_FILTERS, SIZES)
    for access in ACCESSES
    for position in POSITIONS_BY_ACCESS[access]
)


def size_of(params: dict[str, str]) -> Size | None:
    """The page-size class of a query; None when per_page is not a valid page size."""
    text = params.get("per_page")
    if text is None:
        return "default"
    if not text.isdigit():
        return None
    value = int(text)
    if value == MAX_PER_PAGE:
        return "max"
    return "small" if 1 <= value < MAX_PER_PAGE else None


def access_of(params: dict[str, str]) -> tuple[Access, int] | None:
    """How a query reaches its page, and its page number (1 unless ``page`` says otherwise)."""
    if "cursor" in params:
        return ("cursor", 0)
    text = params.get("page")
    if text is None:
        return ("plain", 1)
    if not text.isdigit() or int(text) < 1:
        return None
    return ("page", int(text))


def route_of(path: str) -> RouteName:
    return "team" if path.startswith("/v1/teams/") else "project"


def filter_of(params: dict[str, str]) -> RunFilter:
    return "runId" if params.get("runId") else "unfiltered"


def positions_of(page: Page, access: Access, number: int) -> tuple[Position, ...]:
    """Where in its listing a readable page lies, from the request and the page's own answer."""
    at_start = access != "cursor" and number == 1
    if not page.items:
        if at_start:
            return ("empty",)
        return ("past-end",) if access == "page" else ()
    found: list[Position] = []
    if at_start:
        found.append("first")
    elif page.has_next_page is True:
        found.append("middle")
    if page.has_next_page is not True:
        found.append("last")
    return tuple(found)


def request_cell(path: str, params: dict[str, str]) -> tuple[RouteName, RunFilter, Access, Size]:
    """Route, filter, access and size of a request; ValueError when it is no matrix request."""
    size = size_of(params)
    access = access_of(params)
    if size is None or access is None or (params.get("runId") == ""):
        raise ValueError("not a matrix request")
    return (route_of(path), filter_of(params), access[0], size)


def classify(page: Page) -> list[Cell]:
    """The matrix cells a received listing page lies in (none for errors and odd queries)."""
    exchange = page.exchange
    if not page.readable:
        return []
    params = exchange.params
    try:
        route, run_filter, access, size = request_cell(exchange.path, params)
    except ValueError:
        return []
    number = access_of(params)
    positions = positions_of(page, access, number[1] if number else 1)
    cells = [Cell(route, run_filter, access, size, position) for position in positions]
    return [cell for cell in cells if cell in _CELL_SET]


_CELL_SET = frozenset(CELLS)


@dataclass
class Coverage:
    """How many received pages fell in each cell, and why the plan left a cell out."""

    responses: dict[Cell, int] = field(default_factory=dict)
    unreachable: dict[Cell, str] = field(default_factory=dict)

    def add(self, page: Page) -> None:
        for cell in classify(page):
            self.responses[cell] = self.responses.get(cell, 0) + 1

    def covered(self, cell: Cell) -> bool:
        return self.responses.get(cell, 0) > 0

    def why_not(self, cell: Cell, reason: str) -> None:
        """Record why the run cannot reach ``cell`` (the first reason given stays)."""
        self.unreachable.setdefault(cell, reason)

    def as_dict(self) -> dict[str, object]:
        """The report's ``matrix``: every cell with its responses, or why none."""
        cells = []
        for cell in CELLS:
            entry: dict[str, object] = {
                "route": cell.route,
                "run_filter": cell.run_filter,
                "access": cell.access,
                "size": cell.size,
                "position": cell.position,
                "responses": self.responses.get(cell, 0),
            }
            if not self.covered(cell):
                entry["reason"] = self.unreachable.get(
                    cell, "no request of this run reached it (the checks that would were not run)"
                )
            cells.append(entry)
        covered = sum(1 for cell in CELLS if self.covered(cell))
        return {"total": len(CELLS), "covered": covered, "cells": cells}
