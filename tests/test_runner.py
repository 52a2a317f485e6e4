"""The runner: check selection, outcome mapping, the run result, the report set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.catalog import RETIRED, Advisory, Check, Level, NotRun, Scope, Violation
from conformance.context import CheckContext
from conformance.options import ConfigError, RunOptions, mock_target
from conformance.report import load_report
from conformance.runner import execute, run, run_check, select_checks
from conformance.target import BudgetExhausted, DeadlineExceeded, QuotaLow, TargetUnreachable
from tests.checks.fake import RESTRICTED, TOKEN, context


def _made_up(level: Level, raises: BaseException | None) -> Check:
    def func(ctx: CheckContext) -> None:
        if raises is not None:
            raise raises

    return Check("NF-PAG-098", "A made-up check passes", ("REQ-PAG-COUNT",), level, Scope.RUN, func)


@pytest.mark.parametrize(
    ("level", "raises", "status", "message"),
    [
        (Level.MUST, None, "passed", ""),
        (Level.MUST, Violation("a", "b"), "failed", "b (expected a)"),
        (Level.SHOULD, Violation("a", "b"), "warned", "b (expected a)"),
        (Level.MAY, Violation("a", "b"), "warned", "b (expected a)"),
        (Level.MUST, Advisory("open choice"), "warned", "open choice"),
        (Level.MUST, NotRun("no restricted token"), "skipped", "no restricted token"),
        (Level.MUST, BudgetExhausted("budget of 9 spent"), "skipped", "not run: budget of 9 spent"),
        (Level.MUST, QuotaLow("quota low"), "skipped", "not run: quota low"),
        (Level.MUST, DeadlineExceeded("deadline"), "skipped", "not run: deadline"),
        (Level.MUST, TargetUnreachable("refused"), "skipped", "not run: refused"),
        (Level.MUST, KeyError("data"), "failed", "the check itself failed: KeyError: 'data'"),
    ],
)
def test_outcomes_map_to_statuses(
    level: Level, raises: BaseException | None, status: str, message: str
) -> None:
    with context() as ctx:
        result = run_check(_made_up(level, raises), ctx)
    assert (result.status, result.message) == (status, message)
    assert result.source == ["documented"]


def test_a_violation_keeps_expected_received_and_evidence() -> None:
    with context() as ctx:
        exchange = ctx.fetch()
        violation = Violation("x", "y", evidence=exchange.excerpt())
        result = run_check(_made_up(Level.MUST, violation), ctx)
    assert (result.expected, result.received) == ("x", "y")
    assert result.evidence[0]["request"]["url"] == exchange.url


@pytest.mark.parametrize("raised", ["violation", "advisory", "not-run", "bug"])
def test_results_are_redacted_where_evidence_becomes_a_report_value(raised: str) -> None:
    """The one place: the exchange keeps the token (the suite judges what it got), the result
    does not, in any field, whatever the check raised."""
    with context() as ctx:
        exchange = ctx.fetch({"cursor": f"c.{TOKEN}.{RESTRICTED}"})
        evidence: list[Any] = [exchange.excerpt(), {"note": f"seen {TOKEN}", TOKEN: [RESTRICTED]}]
        text = f"cursor=c.{TOKEN} and {RESTRICTED}"
        outcome: BaseException = {
            "violation": Violation(text, text, evidence=evidence),
            "advisory": Advisory(text, evidence=evidence),
            "not-run": NotRun(text),
            "bug": RuntimeError(text),
        }[raised]
        result = run_check(_made_up(Level.MUST, outcome), ctx)
    assert TOKEN in exchange.url  # sent and kept verbatim
    shown = json.dumps(result.to_dict())
    assert TOKEN not in shown
    assert RESTRICTED not in shown
    assert "[REDACTED]" in shown


def test_a_broken_check_fails_with_one_line_and_no_traceback() -> None:
    with context() as ctx:
        result = run_check(_made_up(Level.MUST, ValueError("bad\nsecond line")), ctx)
    assert result.message == "the check itself failed: ValueError: bad"


def test_all_checks_by_default_in_id_order() -> None:
    chosen = select_checks()
    assert [c.id for c in chosen] == sorted(c.id for c in chosen)
    assert len(chosen) > 40


def test_only_selects_case_insensitively_once() -> None:
    assert [c.id for c in select_checks(["nf-pag-004", "NF-PAG-004", "NF-ERR-001"])] == [
        "NF-ERR-001",
        "NF-PAG-004",
    ]


def test_an_unknown_check_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match=r"Unknown check 'NF-PAG-04'\. Did you mean 'NF-PAG-004'"):
        select_checks(["NF-PAG-04"])


def test_only_a_retired_check_runs_its_successors_with_a_warning() -> None:
    notes: list[str] = []
    chosen = select_checks(["nf-pag-102", "NF-PAG-001"], warn=notes.append)
    assert [c.id for c in chosen] == ["NF-PAG-001", "NF-PAG-002", "NF-PAG-003"]
    assert notes == [RETIRED["NF-PAG-102"].note()]
    assert "replaced by NF-PAG-001, NF-PAG-002, NF-PAG-003" in notes[0]


def test_a_retired_check_in_only_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert [c.id for c in select_checks(["NF-PAG-103"])] == ["NF-PAG-011"]
    err = capsys.readouterr().err
    assert err.startswith("nf-conformance: warning: NF-PAG-103 is retired, replaced by NF-PAG-011")


def test_response_checks_alone_still_have_responses_to_judge() -> None:
    result = execute(mock_target(RunOptions()), select_checks(["NF-ERR-002", "NF-SCH-001"]))
    assert [(c.id, c.status) for c in result.checks] == [
        ("NF-ERR-002", "passed"),
        ("NF-SCH-001", "passed"),
    ]
    # The baseline reads every reachable cell of the path matrix (conformance/probes.py), so
    # a response check alone judges every code path; that costs what a full run's plan costs.
    assert 0 < result.requests_sent <= 80


def test_run_checks_go_before_response_checks() -> None:
    seen: list[str] = []
    chosen = select_checks(["NF-SCH-001", "NF-PAG-004", "NF-ERR-001", "NF-HTTP-001"])
    execute(mock_target(RunOptions()), chosen, progress=lambda c, r, n: seen.append(c.id))
    assert seen[::2] == ["NF-HTTP-001", "NF-PAG-004", "NF-ERR-001", "NF-SCH-001"]


def test_a_spent_budget_skips_checks_with_the_reason_never_passes_them() -> None:
    hand_written = [c for c in select_checks() if int(c.id[-3:]) < 100]
    result = execute(mock_target(RunOptions(max_requests=6)), hand_written)
    skipped = [c for c in result.checks if c.status == "skipped"]
    assert result.requests_sent == 6
    assert len(skipped) > 20
    assert any("--max-requests" in c.message for c in skipped)
    assert all(c.status != "failed" for c in result.checks)


def test_the_result_describes_the_run() -> None:
    result = execute(mock_target(RunOptions(run_id="r")), select_checks(["NF-HTTP-001"]), seed=9)
    data = result.to_dict()
    assert data["tool"]["name"] == "nf-conformance"
    assert data["spec"]["path"].endswith("job-containers.openapi.yaml")
    assert len(data["spec"]["sha256"]) == 64
    assert data["target"]["run_id"] == "r"
    assert data["seed"] == 9
    assert data["requests_sent"] == 1
    assert "token" not in json.dumps(data["target"])


def test_run_writes_the_report_set_and_returns_the_verdict(tmp_path: Path) -> None:
    options = RunOptions(
        report_dir=tmp_path / "out", only=("NF-PAG-001", "NF-HTTP-001"), quiet=True
    )
    outcome = run(options, env={})
    assert outcome.exit_code == 0
    assert {path.name for path in (tmp_path / "out").iterdir()} >= {"report.json", "junit.xml"}
    report = load_report(tmp_path / "out" / "report.json")  # validates against the schema
    assert report["summary"]["passed"] == 2
    assert isinstance(report["seed"], int)
    assert "NF-PAG-001" in (tmp_path / "out" / "junit.xml").read_text()


def test_a_failed_must_check_exits_1_unless_expected(tmp_path: Path) -> None:
    options = RunOptions(report_dir=tmp_path, only=("NF-PAG-001",), quiet=True, seed=1)
    broken = mock_target(options, faults=["count-is-total"])
    assert run(options, target=broken).exit_code == 1
    listed = tmp_path / "expected-failures.yaml"
    listed.write_text(
        "expected_failures:\n"
        "  - check: NF-PAG-001\n    reason: counts totals\n    expires: 2099-01-01\n"
    )
    excused = RunOptions(
        report_dir=tmp_path, only=("NF-PAG-001",), quiet=True, seed=1, expected_failures=listed
    )
    outcome = run(excused, target=mock_target(options, faults=["count-is-total"]))
    assert outcome.exit_code == 0
    assert run(excused, env={}).exit_code == 1  # the entry is stale against the clean mock


def test_a_bad_expected_failures_file_is_a_config_error(tmp_path: Path) -> None:
    listed = tmp_path / "x.yaml"
    listed.write_text(
        "expected_failures:\n  - check: NF-PAG-01\n    reason: r\n    expires: 2099-01-01\n"
    )
    with pytest.raises(ConfigError, match="Did you mean"):
        run(RunOptions(report_dir=tmp_path, expected_failures=listed), env={})
