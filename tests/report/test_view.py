from __future__ import annotations

from conformance.report import view
from conformance.report.files import report_dict
from tests.report.builders import exchange, run_result


def test_mock_target_reproduce_lines_use_the_environment() -> None:
    report = report_dict(run_result())
    assert view.target_host(report) == "built-in mock (in-process)"
    assert (
        view.run_command(report, "NF-PAG-003") == "nf-conformance run --seed 1234 --only NF-PAG-003"
    )
    curl = view.curl_command(report, exchange("/v1/x?a=1&b=it's", 200, "{}"))
    assert curl == (
        'curl -sS -H "Authorization: Bearer $NORTHFLANK_API_TOKEN" '
        "\"$NORTHFLANK_API_BASE_URL\"'/v1/x?a=1&b=it'\"'\"'s'"
    )


def test_live_target_reproduce_lines_carry_url_and_ids_never_a_token() -> None:
    report = report_dict(run_result(base_url="https://api.example.com/"))
    assert view.target_host(report) == "api.example.com"
    assert view.run_command(report, "NF-PRM-004") == (
        "nf-conformance run --base-url https://api.example.com/ --project-id demo "
        "--job-id nightly --run-id run-2 --seed 1234 --only NF-PRM-004"
    )
    restricted = view.curl_command(report, exchange("/v1/x", 403, "{}", credential="restricted"))
    assert restricted == (
        'curl -sS -H "Authorization: Bearer $NF_CONFORMANCE_RESTRICTED_TOKEN" '
        "https://api.example.com/v1/x"
    )
    anonymous = view.curl_command(report, exchange("/v1/x", 401, "{}", credential="none"))
    assert anonymous == "curl -sS https://api.example.com/v1/x"
    assert view.curl_command(report, {"note": "no request"}) is None


def test_coverage_counts_requirements_with_a_check_that_ran() -> None:
    coverage = view.coverage(report_dict(run_result()))
    assert (coverage.total, coverage.checked) == (6, 4)
    assert coverage.unchecked == ["REQ-RUN-DEFAULT-LATEST", "REQ-HTTP-405"]
    assert coverage.failing == ["REQ-PAG-LAST-PAGE", "REQ-ERR-SHAPE"]


def test_only_failed_must_checks_block() -> None:
    report = report_dict(run_result())
    assert [c["id"] for c in report["checks"] if view.is_blocking(c)] == ["NF-PAG-003"]
    assert view.verdict_line(report) == "Not conformant: 1 required check failed"


def test_a_run_stopped_early_with_required_checks_unrun_is_incomplete() -> None:
    report = dict(report_dict(run_result()))
    report["checks"] = [c for c in report["checks"] if c["id"] != "NF-PAG-003"]  # no failure
    report["transport"] = {"stopped": None}
    skipped_must = [
        c for c in report["checks"] if c["status"] == "skipped" and c["level"] == "MUST"
    ]
    assert skipped_must, "the builder's run has a skipped MUST check"
    assert view.exit_code(report) == 0  # skipped for its own reason: fine
    report["transport"] = {"stopped": "deadline"}
    assert view.exit_code(report) == 1
    assert view.verdict(report) == "incomplete"
    assert view.verdict_line(report).startswith("Incomplete: the run stopped early (deadline)")
    assert "--deadline" in view.verdict_line(report)


def _failed(**fields: object) -> dict[str, object]:
    return {"status": "failed", "level": "MUST", **fields}


def test_a_violation_message_that_repeats_expected_and_received_is_not_shown() -> None:
    check = _failed(
        message="cursor='x' (expected no cursor)", expected="no cursor", received="cursor='x'"
    )
    assert view.failure_message(check) is None
    assert view.failure_message({**check, "message": "cursor='x'"}) is None


def test_a_message_that_says_more_is_shown() -> None:
    check = _failed(message="the last of 3 pages", expected="no cursor", received="cursor='x'")
    assert view.failure_message(check) == "the last of 3 pages"
    crashed = _failed(message="the check itself failed: KeyError: 'data'")
    assert view.failure_message(crashed) == "the check itself failed: KeyError: 'data'"
    assert view.failure_message(_failed(message="")) is None


def test_har_entry_of_a_recorded_run() -> None:
    report = {"har": {"file": "runs/night ly.har", "entries": 9}}
    entry = view.har_entry(report, {"har_entry": 7})
    assert entry is not None
    assert entry.label == "HAR entry 7"
    assert entry.href == "runs/night%20ly.har#entry-7"
    assert "log.entries[7] of runs/night ly.har" in entry.describe()
    assert entry.jq == "jq '.log.entries[7]' 'runs/night ly.har'"


def test_har_entry_of_a_replayed_run_is_in_the_recording_it_came_from() -> None:
    report = {"recording": {"file": "staging.har", "recorded_at": None, "unanswered": 0}}
    entry = view.har_entry(report, {"har_entry": 0})
    assert entry is not None
    assert entry.href == "staging.har#entry-0"


def test_no_har_entry_without_an_index_and_no_link_without_a_plain_file_name() -> None:
    recorded = {"har": {"file": "run.har", "entries": 3}}
    assert view.har_entry(recorded, {"request": {}}) is None
    for bad in (-1, "3", True, None, 2.0):
        assert view.har_entry(recorded, {"har_entry": bad}) is None
    unnamed = view.har_entry({}, {"har_entry": 0})
    assert unnamed is not None
    assert unnamed.href is None
    assert "the run's HAR recording" in unnamed.describe()
    assert unnamed.jq is None
    for har in ("javascript:alert(1)", "https://evil.example/x.har", "/etc/x.har", "C:\\x.har"):
        entry = view.har_entry({"har": {"file": har, "entries": 2}}, {"har_entry": 1})
        assert entry is not None
        assert entry.href is None, har
