from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.report import ReportError, load_report, report_files, write_reports
from conformance.report.files import report_dict
from conformance.report.jsonfile import problems
from conformance.results import CheckResult, Status
from conformance.spec import requirements
from conformance.target import Redactor
from tests.report.builders import exchange, passing_result, run_result


def test_writes_the_report_set_and_each_report_json_matches_the_schema(tmp_path: Path) -> None:
    written = write_reports(run_result(), tmp_path)
    assert sorted(path.name for path in written.values()) == sorted(report_files())
    report = load_report(written["json"])
    assert report["summary"] == {"passed": 1, "failed": 2, "warned": 1, "skipped": 1}
    assert {c["status"] for c in report["checks"]} == {"passed", "failed", "warned", "skipped"}
    assert [c["id"] for c in report["checks"]] == sorted(c["id"] for c in report["checks"])
    assert report["verdict"] == "not conformant"


def test_a_conformant_run_validates_too(tmp_path: Path) -> None:
    report = load_report(write_reports(passing_result(), tmp_path / "nested" / "dir")["json"])
    assert report["verdict"] == "conformant"


def test_the_catalog_is_recorded_when_the_run_did_not_supply_it(tmp_path: Path) -> None:
    result = run_result()
    result.requirements = []
    report = load_report(write_reports(result, tmp_path)["json"])
    assert [r["id"] for r in report["requirements"]] == list(requirements())
    first = next(iter(requirements().values()))
    assert report["requirements"][0]["quote"] == first.quote


def test_a_token_field_in_the_target_is_refused() -> None:
    result = run_result()
    result.target["token"] = "nf-secret"
    with pytest.raises(ReportError, match="target"):
        report_dict(result)


@pytest.mark.parametrize(
    ("path", "value", "complaint"),
    [
        (("checks", 0, "status"), "ok", "is not one of"),
        (("checks", 4, "message"), "", "should be non-empty"),
        (("summary", "failed"), -1, "less than the minimum"),
        (("spec", "sha256"), "abc", "does not match"),
        (("checks", 1, "id"), "NF-PAG-3", "does not match"),
        (("checks", 2, "expected_failure"), {"reason": "r", "expires": "2027-01-01"}, "failed"),
    ],
)
def test_the_schema_rejects_broken_reports(
    path: tuple[object, ...], value: object, complaint: str
) -> None:
    data = json.loads(json.dumps(report_dict(run_result())))
    assert problems(data) == []
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    found = problems(data)
    assert found, "the schema accepted a broken report"
    assert complaint in " ".join(found)


def test_a_skipped_check_without_reason_is_invalid() -> None:
    result = run_result(
        check_list=[
            CheckResult("NF-RUN-009", "Something", ["REQ-RUN-X"], "MUST", [], Status.SKIPPED)
        ]
    )
    with pytest.raises(ReportError, match="checks/0/message"):
        report_dict(result)


def test_the_writers_redact_again_whatever_reaches_them(tmp_path: Path) -> None:
    """Belt and braces: results are redacted by the runner; a token that slipped into one (a
    bug) still reaches no file, in any of the forms the files write it."""
    secret = "nf-slipped-through-0123 & <more>"
    result = run_result(base_url="https://api.example.com")
    result.checks[0].message = f"token {secret}"
    result.checks[0].evidence = [exchange(f"/x?cursor={secret}", 200, f'{{"echo": "{secret}"}}')]
    written = write_reports(result, tmp_path, redact=Redactor([secret]).redact_value)
    for path in written.values():
        text = path.read_text(encoding="utf-8")
        assert "nf-slipped-through-0123" not in text, path.name
    assert "[REDACTED]" in written["json"].read_text(encoding="utf-8")
    unredacted = write_reports(result, tmp_path / "plain")
    assert "nf-slipped-through-0123" in unredacted["json"].read_text(encoding="utf-8")
