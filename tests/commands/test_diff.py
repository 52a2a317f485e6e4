from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.report.files import report_dict
from tests.report.builders import run_result


def write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_regression_exits_1_and_prints_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = report_dict(run_result())
    new = copy.deepcopy(old)
    next(c for c in new["checks"] if c["id"] == "NF-PRM-001")["status"] = "failed"
    code = main(
        [
            "diff",
            write(tmp_path / "old.json", old),
            write(tmp_path / "new.json", new),
            "--format",
            "markdown",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("## Conformance diff: REGRESSIONS")
    assert "- `NF-PRM-001` Missing token gives 401: passed -> failed" in out


def test_no_regression_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = report_dict(run_result())
    code = main(["diff", write(tmp_path / "a.json", old), write(tmp_path / "b.json", old)])
    assert code == 0
    assert "Conformance diff: no regressions" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("not json", "is not a report.json: not JSON (line 1, column 1"),
        ('{"tool": {}}', "does not match the report schema"),
    ],
)
def test_unreadable_input_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    good = write(tmp_path / "good.json", report_dict(run_result()))
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    code = main(["diff", good, str(bad)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("nf-conformance diff: ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["diff", "a.json", "b.json", "--format", "html"])
    assert caught.value.code == 2


REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "reference" / "report.json"


def _format_1(report: dict[str, object]) -> dict[str, object]:
    """``report`` as a run from before format_version and the merge of NF-PAG-103."""
    old = copy.deepcopy(report)
    del old["format_version"]
    checks = old["checks"]
    assert isinstance(checks, list)
    retired = copy.deepcopy(next(c for c in checks if c["id"] == "NF-PAG-011"))
    retired.update(id="NF-PAG-103", title="Generated last pages carry no next cursor")
    checks.append(retired)
    return old


def test_an_old_format_1_report_diffs_with_its_retired_check_paired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = json.loads(REFERENCE.read_text(encoding="utf-8"))
    old = write(tmp_path / "old.json", _format_1(new))
    code = main(["diff", old, str(REFERENCE)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Removed checks" not in out
    assert "Retired checks (judged by their successors):" in out
    assert "NF-PAG-103 Generated last pages carry no next cursor: passed -> retired" in out


def test_a_report_of_an_unknown_format_exits_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = {**json.loads(REFERENCE.read_text(encoding="utf-8")), "format_version": "9"}
    code = main(["diff", str(REFERENCE), write(tmp_path / "future.json", future)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("nf-conformance diff: ")
    assert "is a report of format '9'" in err
