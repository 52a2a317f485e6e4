"""Small helpers the check modules share: judging statuses and reporting many exchanges at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from conformance.catalog import MAX_EVIDENCE, Findings, NotRun, Violation
from conformance.target import NOT_KEPT

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange


def status_text(exchange: Exchange) -> str:
    """The status as a message shows it: the code, or why there is none; a 200 whose body is no
    JSON says why ("200, body cut short after 10485760 bytes")."""
    if exchange.status is None:
        return f"no response ({exchange.error or 'unknown error'})"
    why = exchange.json_error
    if exchange.status == 200 and exchange.json is None and why and why != NOT_KEPT:
        return f"200, {why}"
    return str(exchange.status)


def is_client_error(exchange: Exchange) -> bool:
    """A 4xx: the target refused the request as the caller's mistake."""
    return exchange.status is not None and 400 <= exchange.status < 500


def wrong_status(exchange: Exchange, *, expected: str) -> Violation:
    """The Violation for an answer whose status is not the one a requirement expects."""
    return Violation(expected=expected, received=status_text(exchange), evidence=exchange.excerpt())


def fail_if_any(
    problems: Sequence[tuple[Exchange, str]],
    *,
    expected: str,
    out_of: int,
    noun: str = "responses",
) -> None:
    """Raise one Violation for every problem found (the first in full, the rest counted)."""
    examples = list(problems[:MAX_EVIDENCE])
    found = Findings(judged=out_of, problems=len(problems), examples=examples)
    found.raise_if_any(expected=expected, noun=noun)


def judge_each(
    exchanges: Sequence[Exchange],
    problem_of: Callable[[Exchange], str | None],
    *,
    expected: str,
    noun: str = "responses",
) -> None:
    """Judge every exchange with ``problem_of`` (None or ``""``: fine) and fail once for all."""
    problems = [(exchange, problem) for exchange in exchanges if (problem := problem_of(exchange))]
    fail_if_any(problems, expected=expected, out_of=len(exchanges), noun=noun)


def require(items: Sequence[object], reason: str) -> None:
    """NotRun when there is nothing to judge."""
    if not items:
        raise NotRun(reason)


def require_team(ctx: CheckContext) -> None:
    """NotRun without a team id: the team-scoped route cannot be asked for."""
    if not ctx.settings.team_id:
        raise NotRun("no team id: pass --team-id to check the team-scoped route")


def expect_client_error(exchange: Exchange, *, what: str, expected: str) -> None:
    """A 4xx passes; a 5xx, a success or no response is a Violation."""
    if not is_client_error(exchange):
        raise Violation(
            expected=expected,
            received=f"{status_text(exchange)} for {what}",
            evidence=exchange.excerpt(),
        )
