"""From findings to a check's outcome: Violation, Advisory, NotRun or a pass, in words people read.

A message names the schemathesis check and failure, the request, and how to reproduce it: the
request as a curl command (the token left to the environment) or the run with the same seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Violation
from conformance.evidence import Evidence
from conformance.properties import wire

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.properties.generate import Sent
    from conformance.properties.judge import Mismatch
    from conformance.properties.run import PropertyRun

_MAX_DETAIL = 300


def _first_lines(text: str, lines: int = 3) -> str:
    kept = " / ".join(line.strip() for line in text.strip().splitlines()[:lines] if line.strip())
    return kept if len(kept) <= _MAX_DETAIL else kept[: _MAX_DETAIL - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _describe(findings: list[Mismatch]) -> str:
    first = findings[0]
    exchange = first.sent.exchange
    text = f"{exchange.status} to GET {exchange.url} ({first.sent.label}): {first.title}"
    detail = _first_lines(first.message)
    if detail:
        text += f": {detail}"
    if len(findings) > 1:
        others = len({id(f.sent) for f in findings[1:]} - {id(first.sent)})
        where = f" in {_count(others, 'other request')}" if others else ""
        text += f" (and {_count(len(findings) - 1, 'more finding')}{where})"
    return text


def evidence(ctx: CheckContext, check_id: str, sent: Sent, what: str) -> Evidence:
    evidence = sent.exchange.excerpt()
    evidence["note"] = (
        f"{what}. Reproduce: {wire.curl(sent.exchange, ctx.settings)} "
        f"or: nf-conformance run --seed {ctx.seed} --only {check_id}"
    )
    return evidence


def _finding_evidence(ctx: CheckContext, check_id: str, finding: Mismatch) -> Evidence:
    what = f"{finding.sent.label}; schemathesis check {finding.source}"
    return evidence(ctx, check_id, finding.sent, what)


def conclude(
    ctx: CheckContext,
    check_id: str,
    run: PropertyRun,
    findings: list[Mismatch],
    *,
    expected: str,
    judged: list[Sent] | int,
    what: str = "generated request",
) -> None:
    """Fail on violations, skip when the run's budget stopped us or nothing fitted, warn on
    advisories, else pass."""
    violations = [finding for finding in findings if not finding.advisory]
    if violations:
        raise Violation(
            expected=expected,
            received=_describe(violations),
            evidence=_finding_evidence(ctx, check_id, violations[0]),
        )
    if run.stopped is not None:
        raise NotRun(f"the property tests could not finish: {run.stopped}")
    count = judged if isinstance(judged, int) else len(judged)
    if count == 0:
        if not run.sent:
            share = run.options.max_requests
            raise NotRun(f"no property request was sent (the property share is {share})")
        left = f"; {run.unsent} planned requests left unsent" if run.unsent else ""
        share = run.options.max_requests
        raise NotRun(
            f"no {what} among the {len(run.sent)} property requests sent "
            f"(the property share is {share}{left})"
        )
    if findings:
        raise Advisory(_describe(findings), evidence=_finding_evidence(ctx, check_id, findings[0]))
