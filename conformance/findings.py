"""Response-scope checks judge every listing response as it arrives, so a run keeps no bodies.

A check registers a judge with :func:`judge_each`. The run's :class:`conformance.context.
CheckContext` calls every judge with each response of the operation under test (and, for judges
registered with ``walks=True``, once more with each page of a walk and its walk). A judge returns
None when the response is not of its kind, ``""`` when it is fine, else the problem. Per check
only the counts and the first :data:`MAX_EVIDENCE` problems are kept (:class:`Findings`); the
check itself runs at the end of the run and raises from them, as ``fail_if_any`` would from a
list of every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conformance.catalog import NotRun, Violation

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange
    from conformance.walks import Page, Walk

MAX_EVIDENCE = 3  # problems kept in full per check; the rest are counted

Judge = Callable[["CheckContext", "Page", "Walk | None"], str | None]


@dataclass(frozen=True)
class Registered:
    judge: Judge
    walks: bool  # also called with each page of every walk


JUDGES: dict[str, Registered] = {}


def judge_each(check_id: str, *, walks: bool = False) -> Callable[[Judge], Judge]:
    """Register ``judge`` as the per-response form of check ``check_id``."""

    def register(judge: Judge) -> Judge:
        JUDGES[check_id] = Registered(judge, walks)
        return judge

    return register


@dataclass
class Findings:
    """What one check found over every response it judged: counts and the first problems."""

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
