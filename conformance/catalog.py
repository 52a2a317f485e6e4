"""Requirements, checks and the one registry of checks.

A check is a function decorated with :func:`check`. The decorator is the only registration: the
CLI's choices, the report's rows and the README's check table all come from :data:`CHECKS`.
This module depends on nothing else in the package but :mod:`conformance.evidence`.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conformance.evidence import Evidence, as_list

if TYPE_CHECKING:
    from conformance.context import CheckContext

CHECK_ID = re.compile(r"^NF-(SCH|PAG|RUN|PRM|ERR|HTTP)-\d{3}$")
REQUIREMENT_ID = re.compile(r"^REQ-(SCH|PAG|RUN|PRM|ERR|HTTP)(-[A-Z0-9]+)+$")
MAX_TITLE = 70


class Level(enum.StrEnum):
    """How binding a requirement is: a failed MUST fails the run, SHOULD and MAY only warn."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Source(enum.StrEnum):
    """Where a requirement comes from."""

    DOCUMENTED = "documented"
    OFFICIAL_CLIENT = "official-client"
    HTTP = "http"
    INFERRED = "inferred"


class Scope(enum.StrEnum):
    """When a check runs: ``run`` checks first, then ``responses`` checks over every exchange."""

    RUN = "run"
    RESPONSES = "responses"


class CatalogError(Exception):
    """The catalog itself is inconsistent (a programming error, found at import time)."""


@dataclass(frozen=True)
class Requirement:
    """One promise of the endpoint, with the verbatim text it rests on."""

    id: str
    level: Level
    source: Source
    ref: str
    quote: str


CheckFunction = Callable[["CheckContext"], None]


@dataclass(frozen=True)
class Check:
    """A registered check: stable ID, a present-tense title and the requirements it covers."""

    id: str
    title: str
    requirements: tuple[str, ...]
    level: Level
    scope: Scope
    func: CheckFunction = field(repr=False, compare=False)

    @property
    def area(self) -> str:
        return self.id.split("-")[1]

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.func) or ""

    @property
    def location(self) -> str:
        code = self.func.__code__
        where = f"{self.func.__module__}.{self.func.__name__}"
        return f"{code.co_filename}:{code.co_firstlineno} ({where})"


CHECKS: dict[str, Check] = {}


def check(
    *,
    id: str,
    title: str,
    requirements: list[str] | tuple[str, ...],
    level: Level,
    scope: Scope = Scope.RUN,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check. A malformed or duplicate ID fails at import time and names both places."""

    def register(func: CheckFunction) -> CheckFunction:
        if not CHECK_ID.match(id):
            raise CatalogError(f"Check ID {id!r} is not of the form NF-<AREA>-<NNN>")
        if len(title) >= MAX_TITLE:
            raise CatalogError(f"Check {id} title is {len(title)} characters; keep it under 70")
        if not requirements:
            raise CatalogError(f"Check {id} names no requirement")
        new = Check(id, title, tuple(requirements), level, scope, func)
        if id in CHECKS:
            raise CatalogError(
                f"Check ID {id} registered twice: {CHECKS[id].location} and {new.location}"
            )
        CHECKS[id] = new
        return func

    return register


class Violation(Exception):
    """The target broke a requirement: what the requirement expects and what came back."""

    def __init__(
        self,
        expected: str,
        received: str,
        *,
        evidence: Evidence | Sequence[Evidence] | None = None,
    ) -> None:
        super().__init__(f"Expected: {expected}\nReceived: {received}")
        self.expected = expected
        self.received = received
        self.evidence: list[Evidence] = as_list(evidence)


class Advisory(Exception):
    """The target made a choice the documentation leaves open, but one worth a warning."""

    def __init__(
        self, message: str, *, evidence: Evidence | Sequence[Evidence] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.evidence: list[Evidence] = as_list(evidence)


class NotRun(Exception):
    """The check could not run here (no restricted token, too little data, budget spent)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- retired check IDs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Retired:
    """A check ID no longer registered: the checks that now judge its invariant, and why.

    A retired ID is never reused. ``--only`` and expected-failures.yaml accept it with a warning
    naming its successors, and ``nf-conformance diff`` pairs it with them.
    """

    id: str
    replaced_by: tuple[str, ...]
    reason: str

    def note(self) -> str:
        """The one-line warning shown where a retired ID is used."""
        return f"{self.id} is retired, replaced by {', '.join(self.replaced_by)} ({self.reason})"


RETIRED: dict[str, Retired] = {
    retired.id: retired
    for retired in (
        Retired(
            "NF-PAG-102",
            ("NF-PAG-001", "NF-PAG-002", "NF-PAG-003"),
            "merged: the response checks judge count, per_page and the 100 cap on generated "
            "pages too",
        ),
        Retired(
            "NF-SCH-100",
            ("NF-SCH-001", "NF-SCH-002", "NF-ERR-002"),
            "merged: the response checks validate every generated body against the fragment too",
        ),
        Retired(
            "NF-HTTP-102",
            ("NF-HTTP-002", "NF-ERR-001"),
            "merged: the response checks judge the media type of every generated response too",
        ),
        Retired(
            "NF-ERR-100",
            ("NF-ERR-002", "NF-ERR-003"),
            "merged: the error checks judge every generated error response too",
        ),
        Retired(
            "NF-PAG-103",
            ("NF-PAG-011",),
            "merged: NF-PAG-011 judges every last page, generated ones included",
        ),
    )
}
