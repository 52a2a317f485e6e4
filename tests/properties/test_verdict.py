"""From findings to outcomes: fail, skip, warn or pass, and what the messages carry."""

from __future__ import annotations

import pytest

from conformance.catalog import Advisory, NotRun, Violation
from conformance.context import CheckContext
from conformance.options import RunOptions, mock_target
from conformance.properties.judge import Mismatch
from conformance.properties.run import Options, PropertyRun
from conformance.properties.verdict import conclude
from conformance.target import open_client
from tests.properties.test_judge import ERROR, PAGE, coverage_case, sent


@pytest.fixture
def ctx() -> CheckContext:
    target = mock_target(RunOptions())
    return CheckContext(client=open_client(target.settings, target.app), seed=42)


def finding(advisory: bool = False, status: int = 200) -> Mismatch:
    planned = coverage_case("negative", per_page="AAA")
    body = PAGE if status == 200 else ERROR
    return Mismatch(sent(planned, status, body), "check", "Title", "line 1\nline 2", advisory)


def test_a_violation_fails_with_the_request_and_how_to_reproduce(ctx: CheckContext) -> None:
    run = PropertyRun(seed=42, options=Options(), stopped="budget spent")
    findings = [finding(), finding(advisory=True), finding()]
    with pytest.raises(Violation) as raised:
        conclude(ctx, "NF-PAG-100", run, findings, expected="a 4xx", judged=3)
    violation = raised.value
    assert violation.expected == "a 4xx"
    assert violation.received.startswith("200 to GET /v1/projects/p/jobs/j/containers?per_page=AAA")
    assert "(coverage (negative): Incorrect type): Title: line 1 / line 2" in violation.received
    assert violation.received.endswith("(and 1 more finding in 1 other request)")
    note = violation.evidence[0]["note"]
    assert 'curl -sS -H "Authorization: Bearer $NORTHFLANK_API_TOKEN"' in note
    assert "nf-conformance run --seed 42 --only NF-PAG-100" in note


def test_no_violation_but_a_stopped_run_is_not_run(ctx: CheckContext) -> None:
    run = PropertyRun(seed=0, options=Options(), stopped="request budget of 5 spent")
    with pytest.raises(NotRun, match="request budget of 5 spent"):
        conclude(ctx, "NF-PAG-100", run, [finding(advisory=True)], expected="x", judged=3)


def test_nothing_judged_is_not_run_never_passed(ctx: CheckContext) -> None:
    run = PropertyRun(seed=0, options=Options(max_requests=7), unsent=4)
    with pytest.raises(NotRun, match=r"no property request was sent \(the property share is 7\)"):
        conclude(ctx, "NF-PAG-100", run, [], expected="x", judged=0)
    run.sent.append(finding().sent)
    with pytest.raises(NotRun, match="4 planned requests left unsent"):
        conclude(ctx, "NF-PAG-100", run, [], expected="x", judged=0, what="thing")


def test_advisories_alone_warn_and_no_findings_pass(ctx: CheckContext) -> None:
    run = PropertyRun(seed=0, options=Options())
    with pytest.raises(Advisory, match="Title"):
        conclude(
            ctx, "NF-PRM-100", run, [finding(advisory=True, status=404)], expected="x", judged=1
        )
    conclude(ctx, "NF-PRM-100", run, [], expected="x", judged=1)
