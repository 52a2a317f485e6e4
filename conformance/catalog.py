"""Requirements, checks and the one registry of checks.

A check is a function decorated with :func:`check` and its ID; its words (title, level,
requirements and, for a response check, what it expects) are its entry in ``catalog.yaml``
beside this module. The decorator is the only registration: the CLI's choices, the report's
rows and the README's check table all come from :data:`CHECKS`.

Two kinds of check share the one decorator (as schemathesis's checks keep "look at each
response" and "conclude at the end" on one object):

- a run check, ``func(ctx) -> None``, runs once and raises :class:`Violation`,
  :class:`Advisory` or :class:`NotRun`;
- a check whose entry has ``each:`` is a response check: ``func(ctx, page)`` judges every
  listing response as it arrives and returns None (not of its kind), ``""`` (fine) or the
  problem. The run keeps only counts and the first problems (:class:`Findings`) and concludes
  from them at the end, with the words of its :class:`Each`.

An entry without its function is found by :func:`unclaimed` (the runner refuses to start).
This module imports only :mod:`conformance.evidence` (and, for types, the target package).
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import yaml

from conformance.evidence import Evidence, as_list

if TYPE_CHECKING:
    from conformance.target import Exchange

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


MAX_EVIDENCE = 3  # problems a response check keeps in full; the rest are counted

CheckFunction = Callable[..., Any]
F = TypeVar("F", bound=CheckFunction)


@dataclass(frozen=True)
class Each:
    """How a response check concludes from what it found in every listing it judged."""

    expected: str  # what every judged response should show, for the failure message
    nothing_to_judge: str  # the skip reason when no response of the check's kind arrived
    noun: str = "responses"  # what was judged, for "3 of 9 <noun> have this kind of problem"


@dataclass(frozen=True)
class Check:
    """A registered check: stable ID, a present-tense title and the requirements it covers.

    ``func`` is ``func(ctx)`` for a run check, ``func(ctx, page)`` for a response check
    (``each`` set). :meth:`conclude` is what the runner calls at the end for either kind.
    """

    id: str
    title: str
    requirements: tuple[str, ...]
    level: Level
    scope: Scope
    func: CheckFunction = field(repr=False, compare=False)
    each: Each | None = None

    def conclude(self, ctx: Judged) -> None:
        """Run the check (a run check) or conclude from its findings (a response check)."""
        if self.each is None:
            self.func(ctx)
            return
        findings = ctx.findings(self.id)
        findings.require(self.each.nothing_to_judge)
        findings.raise_if_any(expected=self.each.expected, noun=self.each.noun)

    def judge(self, ctx: Judged, page: Any) -> str | None:
        """A response check's verdict on one listing: None, ``""`` (fine) or the problem."""
        verdict: str | None = self.func(ctx, page)
        return verdict

    @property
    def area(self) -> str:
        return self.id.split("-")[1]

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.func) or ""

    @property
    def location(self) -> str:
        return _where(self.func)


@dataclass(frozen=True)
class Entry:
    """A check's words in catalog.yaml: what the report, the CLI and the README say of it."""

    title: str
    requirements: tuple[str, ...]
    level: Level
    each: Each | None = None


CHECKS: dict[str, Check] = {}


def check(id: str, *, scope: Scope = Scope.RUN) -> Callable[[F], F]:
    """Register the check ``id`` (its words are its entry in catalog.yaml). An ID without an
    entry, a duplicate ID, or a function whose parameters do not fit its kind, fails at import
    time and names the places."""

    def register(func: F) -> F:
        entry = ENTRIES.get(id)
        if entry is None:
            raise CatalogError(f"Check {id} ({_where(func)}) has no entry in {CATALOG_PATH.name}")
        wanted = "(ctx)" if entry.each is None else "(ctx, page)"
        if _positional(func) != wanted.count(",") + 1:
            raise CatalogError(
                f"Check {id} is a {'run' if entry.each is None else 'response'} check and takes "
                f"{wanted}, but {_where(func)} takes {_positional(func)} parameter(s)"
            )
        kind = Scope.RESPONSES if entry.each is not None else scope
        new = Check(id, entry.title, entry.requirements, entry.level, kind, func, entry.each)
        if id in CHECKS:
            raise CatalogError(
                f"Check ID {id} registered twice: {CHECKS[id].location} and {new.location}"
            )
        CHECKS[id] = new
        return func

    return register


def unclaimed() -> list[str]:
    """The IDs of catalog.yaml that no registered function claims (after discovery)."""
    return [check_id for check_id in ENTRIES if check_id not in CHECKS]


def _positional(func: CheckFunction) -> int:
    parameters = inspect.signature(func).parameters.values()
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for parameter in parameters if parameter.kind in kinds)


def _where(func: CheckFunction) -> str:
    code = func.__code__
    return f"{func.__module__}.{func.__name__} ({code.co_filename}:{code.co_firstlineno})"


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


@dataclass
class Findings:
    """What one response check found over every response it judged: counts and the first
    :data:`MAX_EVIDENCE` problems, so a run keeps no bodies."""

    judged: int = 0
    problems: int = 0
    examples: list[tuple[Exchange, str]] = field(default_factory=list)

    def add(self, exchange: Exchange, problem: str) -> None:
        self.judged += 1
        if problem:
            self.problems += 1
            if len(self.examples) < MAX_EVIDENCE:
                self.examples.append((exchange, problem))

    def require(self, reason: str) -> None:
        """NotRun when no response of the check's kind was received."""
        if not self.judged:
            raise NotRun(reason)

    def raise_if_any(self, *, expected: str, noun: str = "responses") -> None:
        """One Violation for every problem found (the first in full, the rest counted)."""
        if not self.problems:
            return
        exchange, message = self.examples[0]
        received = f"{message} ({exchange.method} {exchange.url})"
        if self.problems > 1:
            received += f"; {self.problems} of {self.judged} {noun} have this kind of problem"
        raise Violation(
            expected=expected,
            received=received,
            evidence=[found.excerpt() for found, _ in self.examples],
        )


class Judged(Protocol):
    """What a check's conclusion needs of the run's context (conformance.context.CheckContext)."""

    def findings(self, check_id: str) -> Findings: ...


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


# --- catalog.yaml --------------------------------------------------------------------------

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")
_ENTRY_KEYS = {"title", "level", "requirements", "each"}
_EACH_KEYS = {"expected", "nothing_to_judge", "noun"}


def read_entry(check_id: str, raw: dict[str, Any]) -> Entry:
    """One entry of catalog.yaml, checked: a malformed one raises CatalogError naming it."""
    where = f"{CATALOG_PATH.name}: {check_id}"
    if not CHECK_ID.match(check_id):
        raise CatalogError(f"{where}: the ID is not of the form NF-<AREA>-<NNN>")
    _require_keys(where, raw, _ENTRY_KEYS, required={"title", "level", "requirements"})
    title, requirements = str(raw["title"]), tuple(raw["requirements"] or ())
    if len(title) >= MAX_TITLE:
        raise CatalogError(f"{where}: the title is {len(title)} characters; keep it under 70")
    if not requirements or not all(REQUIREMENT_ID.match(str(r)) for r in requirements):
        raise CatalogError(f"{where}: requirements must be REQ-* IDs, at least one")
    if raw["level"] not in Level.__members__:
        raise CatalogError(f"{where}: level {raw['level']!r} is not one of MUST, SHOULD, MAY")
    each = raw.get("each")
    if each is not None:
        _require_keys(f"{where}.each", each, _EACH_KEYS, required={"expected", "nothing_to_judge"})
        each = Each(**{key: str(value) for key, value in each.items()})
    return Entry(title, requirements, Level(raw["level"]), each)


def _require_keys(where: str, raw: Any, allowed: set[str], *, required: set[str]) -> None:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: expected a mapping")
    if unknown := sorted(set(raw) - allowed):
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if missing := sorted(required - set(raw)):
        raise CatalogError(f"{where}: missing {', '.join(missing)}")


def _read_catalog(path: Path) -> tuple[dict[str, Entry], dict[str, Retired]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = {check_id: read_entry(check_id, entry) for check_id, entry in raw["checks"].items()}
    retired = {
        check_id: Retired(check_id, tuple(entry["replaced_by"]), entry["reason"])
        for check_id, entry in raw["retired"].items()
    }
    if reused := sorted(set(entries) & set(retired)):
        raise CatalogError(f"{path.name}: retired ID(s) {', '.join(reused)} reused")
    return entries, retired


ENTRIES, RETIRED = _read_catalog(CATALOG_PATH)
