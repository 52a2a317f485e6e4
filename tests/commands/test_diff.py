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
        ("not json", "is not JSON (line 1, column 1"),
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
