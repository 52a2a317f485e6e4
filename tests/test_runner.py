"""The runner: options to settings, check selection, outcome mapping, the report set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.catalog import Advisory, Check, Level, NotRun, Scope, Violation
from conformance.context import CheckContext
from conformance.mock.fixture import MOCK_TOKEN, Fixture
from conformance.report import load_report
from conformance.runner import (
    ConfigError,
    RunOptions,
    execute,
    mock_target,
    resolve_target,
    run,
    run_check,
    select_checks,
)
from conformance.target import BudgetExhausted, DeadlineExceeded, QuotaLow, TargetUnreachable
from tests.checks.fake import context


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


def test_a_broken_check_fails_with_one_line_and_no_traceback() -> None:
    with context() as ctx:
        result = run_check(_made_up(Level.MUST, ValueError("bad\nsecond line")), ctx)
    assert result.message == "the check itself failed: ValueError: bad"


def test_an_unreachable_target_ends_the_run() -> None:
    with context() as ctx, pytest.raises(TargetUnreachable):
        run_check(_made_up(Level.MUST, TargetUnreachable("refused")), ctx)


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


def test_without_a_base_url_the_mock_runs_with_its_own_ids_and_tokens() -> None:
    target = resolve_target(RunOptions(), env={})
    fixture = Fixture.default()
    settings = target.settings
    assert target.app is not None
    assert (settings.base_url, settings.project_id, settings.job_id, settings.team_id) == (
        None,
        fixture.project_id,
        fixture.job_id,
        fixture.team_id,
    )
    assert settings.token == MOCK_TOKEN
    assert settings.restricted_token
    assert settings.run_id == fixture.run_ids[1]  # the older run with 237 containers
    assert settings.rate_per_s is None


def test_live_settings_come_from_flags_and_the_environment() -> None:
    env = {
        "NORTHFLANK_API_BASE_URL": "https://staging.example/",
        "NORTHFLANK_API_TOKEN": "t0k",
        "NF_CONFORMANCE_RESTRICTED_TOKEN": "r0k",
    }
    options = RunOptions(project_id="p", job_id="j", run_id="r", team_id="t", rate=2.0)
    settings = resolve_target(options, env=env).settings
    assert settings.base_url == "https://staging.example"
    assert (settings.project_id, settings.job_id, settings.run_id, settings.team_id) == (
        "p",
        "j",
        "r",
        "t",
    )
    assert (settings.token, settings.restricted_token, settings.rate_per_s) == ("t0k", "r0k", 2.0)
    assert "t0k" not in repr(settings)


def test_live_runs_are_paced_by_default() -> None:
    env = {"NORTHFLANK_API_TOKEN": "t"}
    options = RunOptions(base_url="https://x.example", project_id="p", job_id="j")
    assert resolve_target(options, env=env).settings.rate_per_s == 5.0


@pytest.mark.parametrize(
    ("env", "options", "says"),
    [
        ({}, {"project_id": "p", "job_id": "j"}, "NORTHFLANK_API_TOKEN"),
        ({"NORTHFLANK_API_TOKEN": " "}, {"project_id": "p", "job_id": "j"}, "NORTHFLANK_API_TOKEN"),
        ({"NORTHFLANK_API_TOKEN": "t"}, {"job_id": "j"}, "--project-id"),
        ({"NORTHFLANK_API_TOKEN": "t"}, {"project_id": "p"}, "--job-id"),
    ],
)
def test_a_live_run_missing_something_says_what(
    env: dict[str, str], options: dict[str, Any], says: str
) -> None:
    with pytest.raises(ConfigError, match=says):
        resolve_target(RunOptions(base_url="https://x.example", **options), env=env)


def test_tokens_are_never_options() -> None:
    assert not any("token" in name for name in RunOptions.__dataclass_fields__)


def test_response_checks_alone_still_have_responses_to_judge() -> None:
    result = execute(mock_target(RunOptions()), select_checks(["NF-ERR-002", "NF-SCH-001"]))
    assert [(c.id, c.status) for c in result.checks] == [
        ("NF-ERR-002", "passed"),
        ("NF-SCH-001", "passed"),
    ]
    assert 0 < result.requests_sent <= 6


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
