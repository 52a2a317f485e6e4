from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.bench import runs
from conformance.bench.report import not_measured

HELP = """usage: nf-conformance run [-h] [--base-url URL] [--project-id ID] [--job-id ID]
  --team-id ID          the team (optional)
  --max-requests N      budget
"""


def test_options_reads_long_flags_from_help() -> None:
    assert runs.options(HELP) == {
        "--base-url",
        "--project-id",
        "--job-id",
        "--team-id",
        "--max-requests",
    }


LINE = {
    "base_url": "http://127.0.0.1:5000/",
    "project_id": "p",
    "job_id": "j",
    "team_id": "t",
    "token": "secret",
}


def test_live_args_use_the_mock_line_and_only_flags_the_runner_has() -> None:
    available = {"--base-url", "--project-id", "--job-id"}
    assert runs.live_args(LINE, available) == [
        "--base-url",
        "http://127.0.0.1:5000",
        "--project-id",
        "p",
        "--job-id",
        "j",
    ]
    assert runs.live_args(LINE, available | {"--team-id"})[-2:] == ["--team-id", "t"]


def test_live_args_name_what_the_runner_lacks() -> None:
    with pytest.raises(LookupError, match="no --base-url, --job-id"):
        runs.live_args(LINE, {"--project-id"})


def test_clean_env_drops_every_northflank_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORTHFLANK_API_BASE_URL", "https://api.northflank.com")
    monkeypatch.setenv("NF_API_HOST", "x")
    monkeypatch.setenv("KEEP_ME", "1")
    env = runs.clean_env(NORTHFLANK_API_TOKEN="mock")
    assert "NORTHFLANK_API_BASE_URL" not in env
    assert "NF_API_HOST" not in env
    assert env["KEEP_ME"] == "1"
    assert env["NORTHFLANK_API_TOKEN"] == "mock"


def test_find_report_prefers_reports_latest(tmp_path: Path) -> None:
    assert runs.find_report(tmp_path) is None
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "report.json").write_text(json.dumps({"where": "other"}))
    assert runs.find_report(tmp_path) == {"where": "other"}
    latest = tmp_path / "reports" / "latest"
    latest.mkdir(parents=True)
    (latest / "report.json").write_text(json.dumps({"where": "latest"}))
    assert runs.find_report(tmp_path) == {"where": "latest"}


def test_ratios_side_by_side() -> None:
    m = {
        "run_in_process": {"status": "measured", "wall_s": 2.0, "cpu_s": 1.0},
        "run_http": {"status": "measured", "wall_s": 30.0, "requests_counted": 100},
        "run_http_unpaced": {"status": "measured", "wall_s": 3.0, "cpu_s": 1.5},
        "anchor": {"status": "measured", "wall_s": 30.0, "requests_counted": 1000},
    }
    assert runs.ratios(m) == {
        "wall, over HTTP unpaced / in-process": 1.5,
        "CPU, over HTTP unpaced / in-process": 1.5,
        "wall, over HTTP at the default live rate / unpaced": 10.0,
        "wall, schemathesis anchor / ours over HTTP unpaced": 10.0,
        "requests, schemathesis anchor / ours over HTTP": 10.0,
    }
    m["run_http"] = not_measured("no")
    missing = runs.ratios(m)
    assert missing["wall, over HTTP at the default live rate / unpaced"] is None
    assert missing["requests, schemathesis anchor / ours over HTTP"] is None


def test_requests_fall_back_to_the_report_when_not_counted() -> None:
    m = {
        "run_http": {"status": "measured", "requests_sent": 50},
        "anchor": {"status": "measured", "requests_counted": 100},
    }
    assert runs.ratios(m)["requests, schemathesis anchor / ours over HTTP"] == 2.0


def test_median_entry_picks_the_median_wall_and_lists_every_repeat() -> None:
    entries = [
        {"status": "measured", "wall_s": 9.0, "cpu_s": 1.0},
        {"status": "measured", "wall_s": 5.0, "cpu_s": 2.0},
        {"status": "measured", "wall_s": 7.0, "cpu_s": 3.0},
    ]
    chosen = runs.median_entry(entries)
    assert chosen["wall_s"] == 7.0
    assert chosen["cpu_s"] == 3.0
    assert chosen["repeats_wall_s"] == [9.0, 5.0, 7.0]


def test_median_entry_reports_failed_repeats() -> None:
    entries = [not_measured("exited 3"), {"status": "measured", "wall_s": 5.0}]
    chosen = runs.median_entry(entries)
    assert chosen["wall_s"] == 5.0
    assert chosen["note"] == "1 repeat(s) failed: exited 3"
    assert runs.median_entry([not_measured("x")]) == not_measured("x")
