from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conformance.report import load_report, write_reports
from conformance.report.expected import (
    ExpectedFailure,
    ExpectedFailuresError,
    apply_expected_failures,
    load_expected_failures,
    parse_expected_failures,
)
from conformance.report.files import report_dict
from conformance.report.view import exit_code
from tests.report.builders import run_result

KNOWN = ["NF-PAG-003", "NF-PRM-001", "NF-PRM-004", "NF-RUN-002", "NF-ERR-001"]
TODAY = dt.date(2026, 11, 28)


def entry(check: str, expires: dt.date = dt.date(2027, 1, 31)) -> ExpectedFailure:
    return ExpectedFailure(check, "known staging bug", expires, "https://tracker.example/42")


def test_loads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "expected-failures.yaml"
    path.write_text(
        "expected_failures:\n"
        "  - check: NF-PAG-003\n"
        "    reason: staging returns a cursor on the last page\n"
        "    link: https://tracker.example/42\n"
        "    expires: 2027-01-31\n"
        "  - check: NF-ERR-001\n"
        "    reason: old error shape\n"
        "    expires: '2027-02-01'\n",
        encoding="utf-8",
    )
    entries = load_expected_failures(path, known_checks=KNOWN)
    assert entries == [
        ExpectedFailure(
            "NF-PAG-003",
            "staging returns a cursor on the last page",
            dt.date(2027, 1, 31),
            "https://tracker.example/42",
        ),
        ExpectedFailure("NF-ERR-001", "old error shape", dt.date(2027, 2, 1)),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            [{"check": "NF-PAG-03", "reason": "r", "expires": "2027-01-01"}],
            "entry 1: unknown check 'NF-PAG-03'. Did you mean 'NF-PAG-003'?",
        ),
        (
            [{"check": "NF-PAG-003", "reason": "r", "expires": "next week"}],
            "entry 1 (NF-PAG-003): expires 'next week' is not a date; write it as YYYY-MM-DD",
        ),
        (
            [{"check": "NF-PAG-003", "reason": "r", "expires": "2027-13-01"}],
            "is not a date",
        ),
        ([{"check": "NF-PAG-003", "expires": "2027-01-01"}], "entry 1: missing reason"),
        (
            [{"check": "NF-PAG-003", "reason": "r", "expires": "2027-01-01", "until": 1}],
            "unknown key 'until'",
        ),
        (
            [
                {"check": "NF-PAG-003", "reason": "r", "expires": "2027-01-01"},
                {"check": "NF-PAG-003", "reason": "s", "expires": "2027-01-01"},
            ],
            "entry 2: NF-PAG-003 is listed twice",
        ),
        ({"checks": []}, "expected a list of entries"),
        (["NF-PAG-003"], "entry 1: expected a mapping"),
    ],
)
def test_clear_errors(raw: object, message: str) -> None:
    with pytest.raises(ExpectedFailuresError) as caught:
        parse_expected_failures(raw, known_checks=KNOWN)
    assert message in str(caught.value)


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("expected_failures: [\n", encoding="utf-8")
    with pytest.raises(ExpectedFailuresError, match="is not valid YAML"):
        load_expected_failures(path, known_checks=KNOWN)
    with pytest.raises(ExpectedFailuresError, match="cannot read"):
        load_expected_failures(tmp_path / "absent.yaml", known_checks=KNOWN)


def test_an_expected_failure_does_not_fail_the_run() -> None:
    result = run_result()
    assert exit_code(report_dict(result)) == 1
    assert apply_expected_failures(result, [entry("NF-PAG-003")], TODAY) == []
    report = report_dict(result)
    check = next(c for c in report["checks"] if c["id"] == "NF-PAG-003")
    assert check["status"] == "failed"
    assert check["expected_failure"] == {
        "reason": "known staging bug",
        "link": "https://tracker.example/42",
        "expires": "2027-01-31",
    }
    assert exit_code(report) == 0
    assert report["verdict"] == "conformant"


def test_an_entry_whose_check_passes_is_stale() -> None:
    result = run_result()
    problems = apply_expected_failures(result, [entry("NF-PAG-003"), entry("NF-PRM-001")], TODAY)
    assert problems == [
        "NF-PRM-001: listed as an expected failure but now passed; remove the entry"
    ]
    report = report_dict(result)
    assert report["stale_entries"] == problems
    assert exit_code(report) == 1


def test_an_expired_entry_is_stale_and_no_longer_excuses() -> None:
    result = run_result()
    problems = apply_expected_failures(result, [entry("NF-PAG-003", dt.date(2026, 11, 27))], TODAY)
    assert problems == [
        "NF-PAG-003: expected-failures entry expired on 2026-11-27; "
        "fix the target or renew the entry with a new date"
    ]
    assert next(c for c in result.checks if c.id == "NF-PAG-003").expected_failure is None
    assert exit_code(report_dict(result)) == 1


def test_an_entry_expiring_today_still_holds() -> None:
    result = run_result()
    assert apply_expected_failures(result, [entry("NF-PAG-003", TODAY)], TODAY) == []
    assert exit_code(report_dict(result)) == 0


def test_skipped_or_unrun_checks_leave_their_entry_alone() -> None:
    result = run_result()
    result.checks = [c for c in result.checks if c.id != "NF-ERR-001"]
    problems = apply_expected_failures(
        result, [entry("NF-PAG-003"), entry("NF-RUN-002"), entry("NF-ERR-001")], TODAY
    )
    assert problems == []


def test_unknown_ids_default_to_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    import conformance.report.expected as expected

    monkeypatch.setattr(expected, "CHECKS", {"NF-PAG-003": object()})
    with pytest.raises(ExpectedFailuresError, match="Did you mean 'NF-PAG-003'"):
        parse_expected_failures([{"check": "NF-PAG-004", "reason": "r", "expires": "2027-01-01"}])


def test_write_reports_applies_entries_as_of_the_run_date(tmp_path: Path) -> None:
    result = run_result()
    written = write_reports(result, tmp_path, expected_failures=[entry("NF-PAG-003")])
    report = load_report(written["json"])
    assert report["verdict"] == "conformant"
    assert "Expected failure until 2027-01-31: known staging bug" in written["markdown"].read_text(
        encoding="utf-8"
    )
    stale = run_result()
    written = write_reports(
        stale, tmp_path / "stale", expected_failures=[entry("NF-PAG-003", dt.date(2026, 11, 1))]
    )
    report = load_report(written["json"])
    assert report["verdict"] == "not conformant"
    assert "Stale expected-failure entries" in written["html"].read_text(encoding="utf-8")


# --- retired check IDs ---------------------------------------------------------------------


def _retired_entries(check: str, notes: list[str]) -> list[ExpectedFailure]:
    raw = [{"check": check, "reason": "known", "expires": "2027-01-31"}]
    return parse_expected_failures(raw, known_checks=CHECKS_NOW, warn=notes.append)


CHECKS_NOW = ["NF-PAG-001", "NF-PAG-002", "NF-PAG-003", "NF-PAG-011"]


def test_a_retired_id_stands_for_its_successors_with_a_warning_naming_them() -> None:
    notes: list[str] = []
    entries = _retired_entries("NF-PAG-103", notes)
    assert [(e.check, e.listed_as) for e in entries] == [("NF-PAG-011", "NF-PAG-103")]
    assert len(notes) == 1
    assert "NF-PAG-103 is retired, replaced by NF-PAG-011" in notes[0]
    several = _retired_entries("NF-PAG-102", notes)
    assert [e.check for e in several] == ["NF-PAG-001", "NF-PAG-002", "NF-PAG-003"]


def test_a_retired_entry_excuses_its_failed_successor_and_is_stale_only_when_none_fails() -> None:
    result = run_result()  # NF-PAG-003 failed, the others passed
    result.checks = [c for c in result.checks if c.id in ("NF-PAG-003", "NF-PRM-001")]
    for check in result.checks:
        check.id = {"NF-PRM-001": "NF-PAG-001"}.get(check.id, check.id)
    entries = _retired_entries("NF-PAG-102", [])
    assert apply_expected_failures(result, entries, TODAY) == []
    assert next(c for c in result.checks if c.id == "NF-PAG-003").expected_failure is not None
    passing = run_result()
    passing.checks = [c for c in passing.checks if c.id == "NF-PRM-001"]
    passing.checks[0].id = "NF-PAG-001"
    assert apply_expected_failures(passing, entries, TODAY) == [
        "NF-PAG-102: listed as an expected failure but now passed; remove the entry"
    ]


def test_a_retired_id_and_its_successor_both_listed_is_listed_twice() -> None:
    raw = [
        {"check": "NF-PAG-011", "reason": "r", "expires": "2027-01-31"},
        {"check": "NF-PAG-103", "reason": "r", "expires": "2027-01-31"},
    ]
    with pytest.raises(ExpectedFailuresError, match="NF-PAG-011 is listed twice"):
        parse_expected_failures(raw, known_checks=CHECKS_NOW, warn=lambda note: None)


def test_a_retired_id_in_the_file_warns_on_stderr_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "expected-failures.yaml"
    path.write_text(
        "expected_failures:\n  - check: NF-PAG-103\n    reason: r\n    expires: 2027-01-31\n",
        encoding="utf-8",
    )
    entries = load_expected_failures(path, known_checks=CHECKS_NOW)
    assert [e.check for e in entries] == ["NF-PAG-011"]
    err = capsys.readouterr().err
    assert "warning" in err
    assert "entry 1: NF-PAG-103 is retired, replaced by NF-PAG-011" in err
