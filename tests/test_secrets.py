"""Redaction at the edge: against a server that echoes the caller's token in a body field, a
response header and inside every cursor, the suite sends each cursor back verbatim (its cursor
walks pass) and writes the token nowhere: report.json, report.md, report.html, junit.xml,
stdout, stderr and log records. Run in process and over real HTTP through the CLI.

The ``count-is-total`` fault rides along so that failed checks carry evidence of listing pages
(bodies holding the echoed token and cursors): ``[REDACTED]`` must appear where it stood.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import serve_in_thread
from conformance.options import RunOptions, mock_target
from conformance.report import load_report
from conformance.report.formats import report_files
from conformance.runner import run
from conformance.target import REDACTED

pytestmark = pytest.mark.slow

CONFIGURATION = "echo-token"
EVIDENCE_FAULT = "count-is-total"
CURSOR_WALKS = ("NF-PAG-004", "NF-PAG-006", "NF-PAG-008", "NF-PAG-104")
UNKNOWN_TOKEN = re.compile(r"nf-unknown-[0-9a-f]{32}")


def _outputs(report_dir: Path, *streams: str) -> str:
    files = [(report_dir / name).read_text(encoding="utf-8") for name in report_files()]
    return "\n".join([*files, *streams])


def _assert_walked_and_wrote_no_token(report_dir: Path, text: str) -> None:
    report = load_report(report_dir / "report.json")
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert {check: statuses[check] for check in CURSOR_WALKS} == dict.fromkeys(
        CURSOR_WALKS, "passed"
    )
    assert statuses["NF-PAG-001"] == "failed"  # the evidence fault: listing bodies as evidence
    assert MOCK_TOKEN not in text
    assert MOCK_RESTRICTED_TOKEN not in text
    assert not UNKNOWN_TOKEN.search(text)
    evidence = repr([c["evidence"] for c in report["checks"]])
    assert f"{REDACTED}." in evidence  # a cursor the token stood in
    assert '"echo":{"token":"' + REDACTED in evidence  # the body field
    assert REDACTED in (report_dir / "report.md").read_text(encoding="utf-8")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # httpx, httpcore and ours: every record there is
    return caplog


def test_in_process(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], debug_logs: pytest.LogCaptureFixture
) -> None:
    options = RunOptions(report_dir=tmp_path, seed=1, no_color=True)
    target = mock_target(options, faults=[EVIDENCE_FAULT], configuration=CONFIGURATION)
    outcome = run(options, target=target)
    out, err = capfd.readouterr()
    assert outcome.exit_code == 1
    _assert_walked_and_wrote_no_token(tmp_path, _outputs(tmp_path, out, err, debug_logs.text))


def test_over_http_through_the_cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    for key in list(os.environ):
        if key.startswith(("NORTHFLANK_", "NF_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NORTHFLANK_API_TOKEN", MOCK_TOKEN)
    monkeypatch.setenv("NF_CONFORMANCE_RESTRICTED_TOKEN", MOCK_RESTRICTED_TOKEN)
    fixture = Fixture.default()
    app = create_app(fixture, [EVIDENCE_FAULT], configuration=CONFIGURATION)
    with serve_in_thread(app) as base_url:
        code = main(
            [
                "run", "--base-url", base_url,
                "--project-id", fixture.project_id, "--job-id", fixture.job_id,
                "--run-id", fixture.run_ids[1], "--team-id", fixture.team_id,
                "--report-dir", str(tmp_path), "--seed", "2", "--rate", "500", "--no-color",
            ]
        )  # fmt: skip
    out, err = capfd.readouterr()
    assert code == 1
    _assert_walked_and_wrote_no_token(tmp_path, _outputs(tmp_path, out, err, debug_logs.text))
