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
