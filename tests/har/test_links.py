"""har_entry in the evidence of failures: the entry with the same request and status."""

from __future__ import annotations

from typing import Any

from conformance.har import link_evidence
from conformance.results import CheckResult, RunResult, Status


def _entry(url: str, status: int, credential: str = "primary") -> dict[str, Any]:
    return {
        "request": {"method": "GET", "url": f"http://h.example{url}"},
        "response": {"status": status},
        "_credential": credential,
    }


def _result(*checks: CheckResult) -> RunResult:
    return RunResult(
        tool={}, spec={}, target={}, seed=0, started_at="", duration_s=0, requests_sent=0,
        checks=list(checks),
    )  # fmt: skip


def _check(status: Status, url: str, got: int | None, credential: str = "primary") -> CheckResult:
    evidence: Any = {
        "request": {"method": "GET", "url": url, "credential": credential},
        "response": {"status": got},
    }
    return CheckResult("NF-PAG-001", "t", ["REQ-X"], "MUST", [], status, evidence=[evidence])


ENTRIES = [
    _entry("/v1/x?per_page=2&page=1", 503),
    _entry("/v1/x?page=1&per_page=2", 200),
    _entry("/v1/x?page=1&per_page=2", 401, "none"),
    _entry("/v1/x?page=1&per_page=2", 200),
    _entry("/v1/y?q=a%20b", 200),
]


def test_a_failure_links_to_the_last_entry_with_its_request_credential_and_status() -> None:
    failed = _check(Status.FAILED, "/v1/x?per_page=2&page=1", 200)
    anonymous = _check(Status.WARNED, "/v1/x?per_page=2&page=1", 401, "none")
    retried = _check(Status.FAILED, "/v1/x?per_page=2&page=1", 503)
    spaced = _check(Status.FAILED, "/v1/y?q=a+b", 200)
    assert link_evidence(_result(failed, anonymous, retried, spaced), ENTRIES) == 4
    assert [c.evidence[0]["har_entry"] for c in (failed, anonymous, retried, spaced)] == [
        3,
        2,
        0,
        4,
    ]


def test_passed_checks_and_requests_not_recorded_get_no_link() -> None:
    passed = _check(Status.PASSED, "/v1/x?per_page=2&page=1", 200)
    elsewhere = _check(Status.FAILED, "/v1/z", 200)
    restricted = _check(Status.FAILED, "/v1/x?per_page=2&page=1", 200, "restricted")
    assert link_evidence(_result(passed, elsewhere, restricted), ENTRIES) == 0
    assert all("har_entry" not in c.evidence[0] for c in (passed, elsewhere, restricted))


def test_a_replay_links_only_to_the_entries_that_answered() -> None:
    failed = _check(Status.FAILED, "/v1/x?per_page=2&page=1", 200)
    link_evidence(_result(failed), ENTRIES, indexes=[0, 1])
    assert failed.evidence[0]["har_entry"] == 1
