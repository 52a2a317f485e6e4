"""The catalog of faults by name, area by area, and how a command line selects them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from conformance.mock.faults import errors, http, pagination, permissions, run_filter, schema
from conformance.mock.faults.base import Fault, FaultSet, UnknownFault
from conformance.mock.faults.scope import FaultScope, UnknownScope, parse_scope

# The order is the README's mutation table's and ``mock --list-faults``'s: keep it.
_ALL = [
    *schema.ENTRIES,
    *pagination.ENTRIES,
    *run_filter.ENTRIES,
    *permissions.ENTRIES,
    *http.ENTRIES,
    *errors.ENTRIES,
]

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _ALL}
if len(FAULTS) != len(_ALL):  # pragma: no cover - a guard for whoever adds a fault
    raise RuntimeError("duplicate fault name in conformance/mock/faults/")


def describe_faults() -> list[str]:
    """One line a fault: name, requirement, description (``mock --list-faults``)."""
    width = max(map(len, FAULTS))
    req_width = max(len(fault.requirement) for fault in FAULTS.values())
    return [
        f"{fault.name:<{width}}  {fault.requirement:<{req_width}}  {fault.description}"
        for fault in FAULTS.values()
    ]


def select_faults(names: Iterable[str]) -> FaultSet:
    """The named faults, in order; :class:`UnknownFault` names close matches.

    ``NAME@SCOPE`` limits a fault to cells of the path matrix (scope.py): ``cursor-ignored@team``.
    """
    selected: list[Fault] = []
    scopes: list[FaultScope] = []
    for spec in names:
        name, _, scope_text = spec.partition("@")
        fault = FAULTS.get(name)
        if fault is None:
            close = difflib.get_close_matches(name, FAULTS, n=3)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UnknownFault(
                f"Unknown fault {name!r}.{hint} 'nf-conformance mock --list-faults' lists them."
            )
        try:
            scope = parse_scope(scope_text, name) if "@" in spec else FaultScope()
        except UnknownScope as error:
            raise UnknownFault(str(error)) from None
        if all((fault, scope) != pair for pair in zip(selected, scopes, strict=True)):
            selected.append(fault)
            scopes.append(scope)
    return FaultSet(tuple(selected), tuple(scopes))
