"""reports/reference/ is reproducible: regenerating it changes nothing but timing fields."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.report import load_report, report_files

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "reference"
STALE = "reports/reference/ is out of date: run `nox -s report` and commit the result"

# Only clocks: seeds, hashes, ids and counts must match exactly.
TIMING = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<TIMESTAMP>"),
    (re.compile(r'(time=")[\d.]+(")'), r"\1<DURATION>\2"),
    (re.compile(r'("(?:duration_s|waited_s|elapsed_s|ratelimit_reset_s)": )[\d.]+'), r"\1<T>"),
    (re.compile(r"((?:waited|ratelimit\\?_reset)\\?_s )[\d.]+"), r"\1<T>"),
    (re.compile(r"(duration )[\d.]+( s)"), r"\1<DURATION>\2"),
    (re.compile(r'(<span class="duration">)[\d.]+(</span>)'), r"\1<DURATION>\2"),
]
ENVIRONMENT = ("NORTHFLANK_API_BASE_URL", "NORTHFLANK_API_TOKEN", "NF_CONFORMANCE_RESTRICTED_TOKEN")
TIMING_KEYS = {"started_at", "duration_s", "waited_s", "elapsed_s", "ratelimit_reset_s"}


def untimed(value: Any) -> Any:
    """report.json with every timing field replaced by a placeholder."""
    if isinstance(value, dict):
        return {k: "<TIMING>" if k in TIMING_KEYS else untimed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untimed(item) for item in value]
    return value


def untimed_text(text: str) -> str:
    for pattern, placeholder in TIMING:
        text = pattern.sub(placeholder, text)
    return text


def test_the_reference_report_is_valid() -> None:
    report = load_report(REFERENCE / "report.json")
    assert report["target"]["base_url"] is None
    assert report["seed"] == 1
    assert report["verdict"] == "conformant"


@pytest.mark.slow
def test_regenerating_the_reference_changes_only_timing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REFERENCE.parents[1])
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    code = main(["run", "--seed", "1", "--report-dir", str(tmp_path), "--quiet", "--no-color"])
    capsys.readouterr()
    assert code == 0
    fresh = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    committed = json.loads((REFERENCE / "report.json").read_text(encoding="utf-8"))
    assert untimed(fresh) == untimed(committed), STALE
    for name in report_files():
        new = untimed_text((tmp_path / name).read_text(encoding="utf-8"))
        old = untimed_text((REFERENCE / name).read_text(encoding="utf-8"))
        assert new == old, f"{name}: {STALE}"


def test_the_timing_mask_keeps_everything_else() -> None:
    text = '<span class="duration">4.4</span> seed 1 time="4.411" 2026-11-28T14:32:48+00:00'
    assert untimed_text(text) == (
        '<span class="duration"><DURATION></span> seed 1 time="<DURATION>" <TIMESTAMP>'
    )
    text = 'ratelimit\\_reset\\_s 3599.0, retries 2, "waited_s": 0.5, "seed": 1'
    assert untimed_text(text) == 'ratelimit\\_reset\\_s <T>, retries 2, "waited_s": <T>, "seed": 1'
    assert untimed({"seed": 1, "transport": {"waited_s": 0.5, "retries_429": 2}}) == {
        "seed": 1,
        "transport": {"waited_s": "<TIMING>", "retries_429": 2},
    }
