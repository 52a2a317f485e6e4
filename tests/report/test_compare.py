from __future__ import annotations

import copy
from typing import Any

from conformance.report.compare import compare, render
from conformance.report.files import report_dict
from tests.report.builders import run_result


def pair() -> tuple[dict[str, Any], dict[str, Any]]:
    old = report_dict(run_result())
    return old, copy.deepcopy(old)


def check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] == check_id)


def test_identical_reports_have_no_changes() -> None:
    old, new = pair()
    comparison = compare(old, new)
    assert comparison.exit_code == 0
    assert "No check changed its outcome." in render(comparison, markdown=False)


def test_a_regression_is_listed_and_fails() -> None:
    old, new = pair()
    check(new, "NF-PRM-001")["status"] = "failed"
    comparison = compare(old, new)
    assert [c.id for c in comparison.regressions] == ["NF-PRM-001"]
    assert comparison.exit_code == 1
    text = render(comparison, markdown=False)
    assert "Conformance diff: REGRESSIONS" in text
    assert "  NF-PRM-001 Missing token gives 401: passed -> failed" in text


def test_a_fix_is_listed_and_passes() -> None:
    old, new = pair()
    check(new, "NF-PAG-003")["status"] = "passed"
    comparison = compare(old, new)
    assert [c.id for c in comparison.fixes] == ["NF-PAG-003"]
    assert comparison.exit_code == 0
    markdown = render(comparison, markdown=True)
    assert "### Fixes (failed -> passed)" in markdown
    assert "- `NF-PAG-003` Last page carries no next cursor: failed -> passed" in markdown


def test_other_changes_are_not_regressions() -> None:
    old, new = pair()
    check(new, "NF-PRM-001")["status"] = "skipped"
    check(new, "NF-PRM-001")["message"] = "budget spent"
    comparison = compare(old, new)
    assert comparison.exit_code == 0
    assert "NF-PRM-001 Missing token gives 401: passed -> skipped" in render(
        comparison, markdown=False
    )


def test_added_and_removed_checks_and_requirements_and_requests() -> None:
    old, new = pair()
    new["checks"] = [c for c in new["checks"] if c["id"] != "NF-PRM-001"]
    added = copy.deepcopy(check(new, "NF-PAG-003"))
    added.update(id="NF-PAG-010", title="A new check", status="failed")
    new["checks"].append(added)
    new["requirements"].append(
        {"id": "REQ-PAG-NEW", "level": "MUST", "source": "inferred", "ref": "r", "quote": "q"}
    )
    new["requirements"] = [r for r in new["requirements"] if r["id"] != "REQ-HTTP-405"]
    new["requests_sent"] = 90
    comparison = compare(old, new)
    assert comparison.exit_code == 0  # a new failing check has no baseline: not a regression
    text = render(comparison, markdown=False)
    assert "New checks:\n  NF-PAG-010 A new check: failed" in text
    assert "Removed checks:\n  NF-PRM-001 Missing token gives 401: was passed" in text
    assert "New requirements:\n  REQ-PAG-NEW" in text
    assert "Removed requirements:\n  REQ-HTTP-405" in text
    assert "Requests sent: 87 -> 90 (+3)" in text
    assert "spec differs" not in text


def test_a_different_spec_warns_and_names_the_changed_requirements() -> None:
    old, new = pair()
    new["spec"]["sha256"] = "f" * 64
    next(r for r in new["requirements"] if r["id"] == "REQ-PRM-403")["quote"] = "Changed."
    comparison = compare(old, new)
    text = render(comparison, markdown=False)
    assert "Warning: the spec differs (sha256 0123456789ab -> ffffffffffff)" in text
    assert "Requirements that changed: REQ-PRM-403 changed (quote)" in text
    markdown = render(comparison, markdown=True)
    assert "> **Warning: the spec differs" in markdown
    assert "- `REQ-PRM-403`: quote changed" in markdown


def test_expected_failures_show_in_outcomes() -> None:
    old, new = pair()
    check(new, "NF-PAG-003")["expected_failure"] = {
        "reason": "r",
        "link": None,
        "expires": "2027-01-01",
    }
    text = render(compare(old, new), markdown=False)
    assert "NF-PAG-003 Last page carries no next cursor: failed -> failed (expected)" in text


def _retire(report: dict[str, Any], successor: str, retired: str) -> None:
    """``report`` as a run from before ``retired`` was merged into ``successor``."""
    old = copy.deepcopy(check(report, successor))
    old.update(id=retired, title="Generated last pages carry no next cursor")
    report["checks"].append(old)


def test_a_retired_check_is_paired_with_its_successor_not_removed() -> None:
    old, new = pair()
    check(new, "NF-PRM-001")["id"] = "NF-PAG-011"  # the new run has the successor
    check(old, "NF-PRM-001")["id"] = "NF-PAG-011"
    _retire(old, "NF-PAG-011", "NF-PAG-103")  # the old one also had the retired check
    comparison = compare(old, new)
    assert comparison.removed_checks == []
    assert [(c.id, c.old, c.new) for c in comparison.retired_checks] == [
        ("NF-PAG-103", "passed", "retired, now NF-PAG-011 passed")
    ]
    text = render(comparison, markdown=False)
    assert "Retired checks (judged by their successors):" in text
    assert "NF-PAG-103 Generated last pages carry no next cursor: passed -> retired" in text
    backwards = compare(new, old)
    assert backwards.added_checks == []
    assert [c.id for c in backwards.retired_checks] == ["NF-PAG-103"]


def test_a_retired_check_without_its_successor_is_removed() -> None:
    old, new = pair()
    _retire(old, "NF-PRM-001", "NF-PAG-103")  # NF-PAG-011 is in neither report
    assert [c.id for c in compare(old, new).removed_checks] == ["NF-PAG-103"]
