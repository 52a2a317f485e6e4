from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.report import ReportError, load_report, validate
from conformance.report.files import report_dict
from conformance.report.jsonfile import FORMAT_VERSION, schema
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
    with pytest.raises(ReportError, match=r"is not a report.json: not JSON \(line 1, column 10"):
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


def test_the_writer_sets_the_format_version() -> None:
    assert report_dict(run_result())["format_version"] == FORMAT_VERSION == "2"


def test_a_report_without_a_format_version_is_read_as_format_1(tmp_path: Path) -> None:
    data = report_dict(run_result())
    del data["format_version"]
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_report(path)["format_version"] == "1"


@pytest.mark.parametrize("version", ["3", 2, None])
def test_a_format_this_version_does_not_know_is_refused_in_one_line(
    tmp_path: Path, version: object
) -> None:
    data = {**report_dict(run_result()), "format_version": version}
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_report(path)
    message = str(caught.value)
    assert f"is a report of format {version!r}" in message
    assert "reads formats 1 and 2" in message
    assert "\n" not in message


def test_the_top_level_and_our_objects_are_closed(tmp_path: Path) -> None:
    data = {**report_dict(run_result()), "surprise": 1}
    data["checks"][0]["surprise"] = 1
    with pytest.raises(ReportError) as caught:
        validate(data)
    assert "(top level): Additional properties are not allowed ('surprise'" in str(caught.value)
    assert "checks/0: Additional properties are not allowed" in str(caught.value)


def _fields(node: Any, where: str) -> list[tuple[str, Any]]:
    """Every field schema below ``node``: properties, additionalProperties and items."""
    found: list[tuple[str, Any]] = []
    if not isinstance(node, dict):
        return found
    for name, child in node.get("properties", {}).items():
        found += [(f"{where}.{name}", child), *_fields(child, f"{where}.{name}")]
    for key in ("additionalProperties", "items"):
        child = node.get(key)
        if isinstance(child, dict):
            found += [(f"{where}[{key}]", child), *_fields(child, f"{where}[{key}]")]
    for key in ("$defs",):
        for name, child in node.get(key, {}).items():
            found += [(f"#{name}", child), *_fields(child, f"#{name}")]
    for option in node.get("oneOf", []):
        found += _fields(option, where)
    return found


def test_every_field_has_a_description_and_the_schema_an_id() -> None:
    document = schema()
    assert document["$id"].endswith("report.schema.json")
    assert document["additionalProperties"] is False
    missing = [where for where, field in _fields(document, "") if not _described(field)]
    assert missing == []


def _described(field: Any) -> bool:
    return bool(field.get("description")) or "$ref" in field
