"""What the reports say about a recording: report.json's ``recording`` and ``har`` (schema),
the line in report.md, report.html and the terminal, and the replay reproduce line."""

from __future__ import annotations

import copy
import io
from typing import Any

from rich.console import Console

from conformance.report import html as html_report
from conformance.report import jsonfile, markdown
from conformance.report.files import report_dict
from conformance.report.recorded import har_line, recording_line, replay_command
from conformance.report.terminal import print_summary
from conformance.report.view import run_command
from tests.report.builders import run_result

RECORDING: dict[str, Any] = {
    "file": "staging.har",
    "recorded_at": "2026-11-30T22:00:00+00:00",
    "target": {"base_url": "https://api.staging.example", "project_id": "demo"},
    "recorded_with": {"name": "nf-conformance", "version": "0.1.0"},
    "seed": 7,
    "spec_sha256": "ab" * 32,
    "entries": 90,
    "unanswered": 3,
    "unanswered_requests": ["GET /v1/x (primary)"],
}


def replayed() -> dict[str, Any]:
    result = run_result()
    result.seed = 7
    result.recording = copy.deepcopy(RECORDING)
    result.checks[0].evidence[0]["har_entry"] = 12
    return report_dict(result)


def test_report_json_carries_the_recording_and_the_schema_checks_it() -> None:
    report = replayed()
    assert jsonfile.problems(report) == []
    assert report["recording"]["unanswered"] == 3
    broken = copy.deepcopy(report)
    del broken["recording"]["unanswered"]
    assert jsonfile.problems(broken) != []
    broken = copy.deepcopy(report)
    broken["recording"]["target"]["token"] = "x"
    assert jsonfile.problems(broken) != []
    broken = copy.deepcopy(report)
    broken["checks"][0]["evidence"][0]["har_entry"] = -1
    assert jsonfile.problems(broken) != []


def test_a_live_run_has_no_recording_fields() -> None:
    report = report_dict(run_result())
    assert "recording" not in report
    assert "har" not in report
    assert recording_line(report) is None
    assert har_line(report) is None


def test_every_human_report_says_it_came_from_a_recording_and_how_much_was_missing() -> None:
    report = replayed()
    line = recording_line(report)
    assert line == (
        "replayed from staging.har, recorded 2026-11-30T22:00:00+00:00 against "
        "api.staging.example, seed 7; 3 requests not in the recording (the checks that needed "
        "them skipped)"
    )
    assert f"- Recording: {line}" in markdown.render(report)
    assert "replayed from staging.har" in html_report.render(report)
    out = io.StringIO()
    print_summary(report, Console(file=out, width=200, no_color=True), quiet=True)
    assert "Replayed from staging.har" in out.getvalue()
    assert "3 requests not in the recording" in out.getvalue()


def test_a_replayed_failure_is_reproduced_from_the_recording() -> None:
    report = replayed()
    assert run_command(report, "NF-PAG-003") == (
        "nf-conformance run --replay staging.har --only NF-PAG-003"
    )
    report["seed"] = 8
    assert replay_command(report, "NF-PAG-003") == (
        "nf-conformance run --replay staging.har --seed 8 --only NF-PAG-003"
    )
    report["spec"]["path"] = "next.openapi.yaml"
    assert replay_command(report, "NF-PAG-003") == (
        "nf-conformance run --replay staging.har --seed 8 --spec next.openapi.yaml "
        "--only NF-PAG-003"
    )


def test_a_recorded_run_names_its_har_and_offers_the_replay_line() -> None:
    result = run_result()
    result.har = {"file": "out/run.har", "entries": 42}
    report = report_dict(result)
    assert jsonfile.problems(report) == []
    assert har_line(report) == "every exchange recorded in out/run.har (42 HAR entries)"
    text = markdown.render(report)
    assert "nf-conformance run --replay out/run.har --only NF-PAG-003" in text
    assert "--replay" not in run_command(report, "NF-PAG-003"), "the live line stays as it was"
