from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.report import ReportError, load_report
from conformance.report.files import report_dict
from tests.report.builders import run_result


def test_load_report_reads_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report_dict(run_result())), encoding="utf-8")
    assert load_report(path)["seed"] == 1234


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"cannot read .*nope\.json"):
        load_report(tmp_path / "nope.json")


def test_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"tool": ', encoding="utf-8")
    with pytest.raises(ReportError, match=r"is not JSON \(line 1, column 10"):
        load_report(path)


def test_invalid_report_lists_the_problems(tmp_path: Path) -> None:
    data = report_dict(run_result())
    del data["summary"]
    data["seed"] = "one"
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_report(path)
    message = str(caught.value)
    assert "does not match the report schema" in message
    assert "'summary' is a required property" in message
    assert "seed: 'one' is not of type 'integer'" in message


def test_evidence_may_name_its_har_entry_as_a_whole_number_from_0() -> None:
    from conformance.report.jsonfile import validate

    report = report_dict(run_result())
    report["checks"][0]["evidence"][0]["har_entry"] = 0
    validate(report)
    for bad in (-1, "3", 1.5):
        report["checks"][0]["evidence"][0]["har_entry"] = bad
        with pytest.raises(ReportError, match="har_entry"):
            validate(report)
