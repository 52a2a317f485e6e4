"""Report formats register themselves once, like checks; write_reports writes every one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.report import formats, write_reports
from conformance.report.formats import FORMATS, FormatError, registered, report_format
from tests.report.builders import run_result


def test_each_format_is_found_in_its_own_module_and_json_among_them() -> None:
    found = registered()
    assert "json" in {f.kind for f in found}  # the run reads its report.json back
    modules = [f.render.__module__ for f in found]
    assert len(set(modules)) == len(modules)
    assert all(module.startswith("conformance.report.") for module in modules)


@pytest.mark.parametrize(("kind", "filename"), [("json", "other.json"), ("csv", "report.json")])
def test_a_kind_or_file_registered_twice_fails_naming_both(kind: str, filename: str) -> None:
    registered()
    with pytest.raises(FormatError, match=r"registered twice: conformance\.report\.\w+\.\w+ and"):
        report_format(kind=kind, filename=filename)(lambda report: "")


def test_a_registered_format_is_written_with_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered()
    monkeypatch.setattr(formats, "FORMATS", dict(FORMATS))
    report_format(kind="ids", filename="ids.txt")(
        lambda report: "\n".join(c["id"] for c in report["checks"])
    )
    written = write_reports(run_result(), tmp_path)
    assert written["ids"].read_text(encoding="utf-8").startswith("NF-")
    assert set(written) == {"html", "ids", "json", "junit", "markdown"}
