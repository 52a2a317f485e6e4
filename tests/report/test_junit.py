from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from conformance.report.expected import ExpectedFailure, apply_expected_failures
from conformance.report.files import report_dict
from conformance.report.junit import render
from tests.report.builders import NASTY, run_result


def parse(xml: str) -> ET.Element[Any]:
    return ET.fromstring(xml)  # noqa: S314 - our own output, not untrusted input


def cases(xml: str) -> dict[str, ET.Element[Any]]:
    root = parse(xml)
    assert root.tag == "testsuites"
    return {case.get("name", "").split(" ")[0]: case for case in root.iter("testcase")}


def test_one_testcase_per_check_named_by_id_and_title() -> None:
    report = report_dict(run_result())
    found = cases(render(report))
    assert sorted(found) == sorted(c["id"] for c in report["checks"])
    assert found["NF-PAG-003"].get("name") == "NF-PAG-003 Last page carries no next cursor"


def test_outcomes_map_to_junit_elements() -> None:
    xml = render(report_dict(run_result()))
    found = cases(xml)
    failure = found["NF-PAG-003"].find("failure")
    assert failure is not None
    assert failure.get("type") == "MUST"
    assert "Expected: no pagination.cursor when hasNextPage is false" in (failure.text or "")
    assert "Received: cursor='eyJwIjoyfQ'" in (failure.text or "")
    assert "--only NF-PAG-003" in (failure.text or "")
    skipped = found["NF-RUN-002"].find("skipped")
    assert skipped is not None
    assert "may not read job runs" in skipped.get("message", "")
    warned = found["NF-PRM-004"]
    assert warned.find("failure") is None
    assert warned.find("skipped") is None
    assert "warning: 404 instead of 403" in (warned.findtext("system-out") or "")
    passed = found["NF-PRM-001"]
    assert list(passed) == []
    suite = parse(xml).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "1", "1")
    should = found["NF-ERR-001"]
    assert should.find("failure") is None
    assert "warning: SHOULD requirement not met" in (should.findtext("system-out") or "")


def test_values_are_escaped_and_round_trip() -> None:
    result = run_result()
    result.checks[4].received = NASTY + "\x00\x1b[31m"
    result.checks[4].level = "MUST"
    found = cases(render(report_dict(result)))
    failure = found["NF-ERR-001"].find("failure")
    assert failure is not None
    assert failure.get("message") == NASTY
    assert f"Received: {NASTY}[31m" in (failure.text or "")


def test_an_expected_failure_is_skipped_not_failed() -> None:
    result = run_result()
    entry = ExpectedFailure("NF-PAG-003", "staging bug", dt.date(2027, 1, 1), "https://x/1")
    assert apply_expected_failures(result, [entry], dt.date(2026, 11, 28)) == []
    xml = render(report_dict(result))
    case = cases(xml)["NF-PAG-003"]
    assert case.find("failure") is None
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "expected failure until 2027-01-01: staging bug"
    suite = parse(xml).find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("skipped")) == ("0", "2")
