"""A fault's scope: the cells of the path matrix it hits (``NAME@team``, ``NAME@cursor,last``).

A scope names values of the matrix's dimensions, comma-separated. Values of one dimension
widen the scope (``@project,team`` is both routes), values of different dimensions narrow it
(``@cursor,last``: cursor pages that are last pages). A scoped fault's hooks run only for
containers requests in its scope (see ../cells.py); the runs list is never in a scope.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from conformance.mock.model import Ctx, RequestCell

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "route": ("project", "team"),
    "run_filter": ("unfiltered", "runId"),
    "access": ("plain", "cursor", "page"),
    "size": ("small", "default", "max"),
    "position": ("first", "middle", "last", "past-end", "empty"),
}
_VALUES = {
    value.lower(): (dimension, value)
    for dimension, values in DIMENSIONS.items()
    for value in values
}
SCOPE_NAMES: tuple[str, ...] = tuple(v for values in DIMENSIONS.values() for v in values)


class UnknownScope(ValueError):
    """A scope value that names no cell of the path matrix."""


@dataclass(frozen=True)
class FaultScope:
    """The values a scoped fault is restricted to, by dimension (empty: everywhere)."""

    allowed: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def text(self) -> str:
        return ",".join(v for _, values in self.allowed for v in _ordered(values))

    def matches(self, ctx: Ctx) -> bool:
        return not self.allowed or (ctx.cell is not None and self.holds(ctx.cell))

    def holds(self, cell: RequestCell) -> bool:
        """Whether ``cell`` lies in this scope."""
        return all(_holds(cell, dim, values) for dim, values in self.allowed)


def _ordered(values: frozenset[str]) -> list[str]:
    return [v for v in SCOPE_NAMES if v in values]


def _holds(cell: RequestCell, dimension: str, values: frozenset[str]) -> bool:
    if dimension == "position":
        return bool(cell.positions & values)
    value: str | None = getattr(cell, dimension)
    return value in values


def parse_scope(text: str, fault: str) -> FaultScope:
    """The scope ``text`` (after the ``@`` of ``fault@text``); :class:`UnknownScope` if bad."""
    chosen: dict[str, set[str]] = {}
    for part in text.split(","):
        name = part.strip()
        found = _VALUES.get(name.lower())
        if found is None:
            close = difflib.get_close_matches(name.lower(), list(_VALUES), n=2)
            hint = f" Did you mean {' or '.join(repr(_VALUES[c][1]) for c in close)}?"
            raise UnknownScope(
                f"Unknown scope {name!r} in {fault + '@' + text!r}.{hint if close else ''} "
                f"A scope is one or more of: {', '.join(SCOPE_NAMES)} (comma-separated)."
            )
        dimension, value = found
        chosen.setdefault(dimension, set()).add(value)
    ordered = tuple((d, frozenset(chosen[d])) for d in DIMENSIONS if d in chosen)
    return FaultScope(ordered)
