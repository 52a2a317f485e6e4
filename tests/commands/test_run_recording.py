"""``nf-conformance run --record/--replay/--spec`` on the command line: bad input is one line
and exit 2, never a traceback; the bug-report workflow reproduces a failure from a HAR alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cli import main
from tests.har.test_document import VALID
from tests.har.test_end_to_end import record_live

CLEAN_ENV = {
    key: value for key, value in os.environ.items() if not key.startswith(("NORTHFLANK_", "NF_"))
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "notes.har").write_text("just some notes\n", encoding="utf-8")
    old = json.loads(json.dumps(VALID))
    old["log"]["version"] = "1.1"
    (tmp_path / "old.har").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "ok.har").write_text(json.dumps(VALID), encoding="utf-8")
    (tmp_path / "other.yaml").write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("paths: [\n", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--replay", "missing.har"], "cannot read missing.har: No such file or directory"),
        (["--replay", "notes.har"], "notes.har is not a HAR file: not JSON"),
        (["--replay", "old.har"], "old.har is HAR version '1.1'; only HAR 1.2 can be replayed"),
        (
            ["--replay", "ok.har", "--base-url", "http://127.0.0.1:9"],
            "--replay answers every request from the recording; it takes no --base-url",
        ),
        (["--spec", "missing.yaml"], "missing.yaml: No such file or directory"),
        (["--spec", "other.yaml"], "is not an OpenAPI fragment of List job containers"),
        (["--spec", "broken.yaml"], "broken.yaml is not YAML (line 2)"),
        (["--record", "adir"], "--record adir is a directory"),
    ],
)
def test_bad_recording_input_is_one_line_and_exit_2(
    files: Path,
    args: list[str],
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(files)
    code = main(["run", *args, "--report-dir", "out", "--quiet", "--no-color"])
    err = capsys.readouterr().err
    assert code == 2
    assert says in err
    assert err.startswith("nf-conformance run: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_bug_report_har_reproduces_the_failure_without_a_token(tmp_path: Path) -> None:
    _, har, _ = record_live(tmp_path, ["count-is-total"], {}, "NF-PAG-001")
    bug = tmp_path / "bug.har"
    har.rename(bug)
    replay = ["run", "--replay", "bug.har", "--only", "NF-PAG-001", "--no-color"]
    done = subprocess.run(
        [sys.executable, "-m", "conformance.cli", *replay],
        env=CLEAN_ENV,  # no NORTHFLANK_API_TOKEN
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "FAIL NF-PAG-001" in done.stderr
    assert "Replayed from bug.har, recorded " in done.stderr
    assert "nf-conformance run --replay bug.har --only NF-PAG-001" in done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads((tmp_path / "reports/latest/report.json").read_text(encoding="utf-8"))
    assert report["recording"]["file"] == "bug.har"
    (check,) = report["checks"]
    assert check["status"] == "failed"
    assert any("har_entry" in item for item in check["evidence"])
