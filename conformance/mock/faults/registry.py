"""The catalog of faults by name, and how a command line selects them.

Faults register with ``@fault`` (base.py) in the area modules of this package (one per
requirement area); this is the one place that discovers them: every public module of the
package is imported, in name order, so adding a module or a fault needs no list kept in step.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable
from pathlib import Path

from conformance.mock.faults.base import (
    REGISTERED,
    Fault,
    FaultSet,
    UnknownFault,
    defined_in,
    require_every_entry_claimed,
)
from conformance.mock.faults.scope import FaultScope, UnknownScope, parse_scope

_NOT_AREAS = {"base", "registry", "scope"}
_PACKAGE = __name__.rpartition(".")[0]  # conformance.mock.faults, not imported from here
_AREAS = sorted(
    f"{_PACKAGE}.{module.name}"
    for module in pkgutil.iter_modules([str(Path(__file__).parent)])
    if not module.name.startswith("_") and module.name not in _NOT_AREAS
)
for _area in _AREAS:
    importlib.import_module(_area)

require_every_entry_claimed()

# Area by area in name order, each in the order it defines its faults (README, --list-faults).
FAULTS: dict[str, Fault] = {
    name: REGISTERED[name] for area in _AREAS for name in REGISTERED if defined_in(name) == area
}


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
