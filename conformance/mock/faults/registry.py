"""The catalog of faults by name, area by area, and how a command line selects them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from conformance.mock.faults import errors, http, pagination, permissions, run_filter, schema
from conformance.mock.faults.base import Fault, FaultSet, UnknownFault

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
    """The named faults, in order; :class:`UnknownFault` names close matches."""
    selected = []
    for name in names:
        fault = FAULTS.get(name)
        if fault is None:
            close = difflib.get_close_matches(name, FAULTS, n=3)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UnknownFault(
                f"Unknown fault {name!r}.{hint} 'nf-conformance mock --list-faults' lists them."
            )
        if fault not in selected:
            selected.append(fault)
    return FaultSet(tuple(selected))
