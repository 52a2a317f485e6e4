"""Findings (catalog.py): response checks keep counts and the first problems, not bodies."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.catalog import MAX_EVIDENCE, Findings, NotRun, Violation
from conformance.checks._common import fail_if_any
from tests.checks.fake import FakeApi, context, judge


def test_findings_keep_counts_and_the_first_problems_only() -> None:
    with context() as ctx:
        exchange = ctx.fetch()
    findings = Findings()
    for number in range(10):
        findings.add(exchange, f"problem {number}" if number % 2 else "")
    assert (findings.judged, findings.problems) == (10, 5)
    assert [message for _, message in findings.examples] == ["problem 1", "problem 3", "problem 5"]
    assert len(findings.examples) == MAX_EVIDENCE
    with pytest.raises(Violation) as raised:
        findings.raise_if_any(expected="no problem", noun="pages")
    assert raised.value.received.endswith("; 5 of 10 pages have this kind of problem")
    assert raised.value.received.startswith("problem 1 (GET /v1/projects/proj/jobs/job/containers")


def test_fail_if_any_says_what_findings_say() -> None:
    with context() as ctx:
        exchange = ctx.fetch()
    problems = [(exchange, f"problem {number}") for number in range(4)]
    findings = Findings(judged=7, problems=4, examples=problems[:MAX_EVIDENCE])
    with pytest.raises(Violation) as listed:
        fail_if_any(problems, expected="none", out_of=7)
    with pytest.raises(Violation) as counted:
        findings.raise_if_any(expected="none")
    assert str(listed.value) == str(counted.value)
    assert listed.value.evidence == counted.value.evidence


def test_nothing_judged_is_not_run() -> None:
    with pytest.raises(NotRun, match="nothing to judge"):
        Findings().require("nothing to judge")
    Findings(judged=1).require("nothing to judge")


def test_a_middle_page_is_reported_in_full_though_the_walk_dropped_its_body() -> None:
    def wrong_count_on_page_2(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if state["per_page"] == 100 and state["offset"] == 100:
            body["pagination"]["count"] = 999
        return body

    with context(FakeApi(body=wrong_count_on_page_2)) as ctx:
        result = judge(ctx, "NF-PAG-001")
        walk = ctx.full_walk("cursor")
    assert [bool(page.exchange.body) for page in walk.pages] == [True, False, True]
    assert result.status == "failed"
    assert "count=999 with 100 containers" in result.message
    response = result.evidence[0]["response"]
    assert response is not None
    assert "job-r-big-00100" in (response["body"] or "")  # page 2, body and all
