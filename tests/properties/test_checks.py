"""The property checks pass on the clean mock and fail, under their own IDs, on faults that
break what they check; documented choices (clamping, 400 for an unknown cursor) pass."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.types import ASGIApp

from conformance.catalog import CHECKS, Level
from conformance.mock.faults import FAULTS
from conformance.options import RunOptions, mock_target
from conformance.results import RunResult, Status
from conformance.runner import execute, select_checks
from conformance.spec import requirements
from tests.properties.harness import PROPERTY_CHECKS, Outcome, query_rewriter, run_properties

ALL_IDS = [check.id for check in PROPERTY_CHECKS]


@pytest.fixture(scope="module")
def clean() -> Outcome:
    return run_properties()


def test_the_property_checks_are_registered_in_their_id_range() -> None:
    assert ALL_IDS
    for check_id in ALL_IDS:
        assert 100 <= int(check_id.rsplit("-", 1)[1]) <= 199, check_id


def test_every_property_check_passes_on_the_clean_mock(clean: Outcome) -> None:
    assert clean.not_passed() == {}


def test_a_default_run_stays_within_the_property_share(clean: Outcome) -> None:
    assert 0 < clean.run.requests <= clean.run.options.max_requests <= 40
    assert clean.requests_sent == clean.run.requests  # nothing else sent anything
    assert clean.run.stopped is None


def test_the_walks_follow_the_cursor_link_to_the_last_page(clean: Outcome) -> None:
    project = [walk for walk in clean.run.walks if walk.route == "project"]
    assert any(len(walk.steps) > 1 for walk in project)
    assert any(walk.walk.complete for walk in project)
    followed = [step for walk in clean.run.walks for step in walk.steps[1:]]
    assert followed
    assert all("cursor" in step.exchange.params for step in followed)
    assert any(walk.route == "team" for walk in clean.run.walks)  # both routes


def test_an_unknown_cursor_answered_400_is_not_a_failure(clean: Outcome) -> None:
    """The mock rejects cursors it did not issue; schema-valid as they are, that is allowed."""
    rejected = [
        sent
        for sent in clean.run.of_kind("fuzz", "coverage")
        if "cursor" in sent.exchange.params and sent.exchange.status == 400
    ]
    assert rejected
    assert clean.status("NF-PAG-101") is Status.PASSED


# fault -> the property checks that must flag it (each also fails hand-written checks): fail, or
# warn where the check or the requirement the fault breaks is below MUST
MUTATIONS = {
    "server-error-on-bad-input": ["NF-HTTP-100"],
    "partial-content-206": ["NF-HTTP-101", "NF-PAG-101"],
    "invalid-params-accepted": ["NF-PAG-100"],
    "looping-cursor": ["NF-PAG-104"],
    "overlapping-pages": ["NF-PAG-104"],
    "run-id-echo-latest": ["NF-RUN-100"],
    "unknown-project-200": ["NF-PRM-100"],
    "not-found-as-400": ["NF-PRM-100"],
}


# faults once caught by retired property checks (NF-PAG-102/103, NF-SCH-100, NF-HTTP-102,
# NF-ERR-100): their successors, the response checks, judge the property run's responses too
SUCCEEDED = {
    "wrong-content-type": "NF-HTTP-002",
    "created-at-string": "NF-SCH-001",
    "html-error-pages": "NF-ERR-001",
    "count-is-total": "NF-PAG-001",
    "page-size-off-by-one": "NF-PAG-002",
    "no-max-per-page": "NF-PAG-003",
    "cursor-on-last-page": "NF-PAG-011",
    "null-cursor-on-last-page": "NF-PAG-011",
}


def test_every_property_check_is_proven_by_a_fault() -> None:
    proven = {check_id for ids in MUTATIONS.values() for check_id in ids}
    assert proven == set(ALL_IDS)


@pytest.mark.slow
@pytest.mark.parametrize(("fault", "check_ids"), MUTATIONS.items(), ids=list(MUTATIONS))
def test_a_fault_fails_the_property_checks_that_guard_it(fault: str, check_ids: list[str]) -> None:
    outcome = run_properties([fault])
    breaks_must = requirements()[FAULTS[fault].requirement].level is Level.MUST
    for check_id in check_ids:
        result = outcome.results[check_id]
        must = breaks_must and CHECKS[check_id].level is Level.MUST
        expected = Status.FAILED if must else Status.WARNED
        assert result.status is expected, (fault, check_id, result.message)
        assert result.message
        assert result.evidence
        assert result.evidence[0]["request"]["method"] == "GET"
        assert "Reproduce" in result.evidence[0]["note"]
        assert f"--only {check_id}" in result.evidence[0]["note"]


def test_an_error_status_that_differs_from_the_http_status_only_warns() -> None:
    target = mock_target(RunOptions(), faults=["error-status-mismatch"])
    result = execute(target, select_checks(["NF-ERR-003", *ALL_IDS]), seed=0)
    outcome = {c.id: c for c in result.checks}
    assert outcome["NF-ERR-003"].status is Status.WARNED
    assert "error.status=400" in outcome["NF-ERR-003"].message
    assert not [c.id for c in result.checks if c.status is Status.FAILED]


def _clamp(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    def clamped(value: str) -> str:
        return "100" if value.isdigit() and int(value) > 100 else value

    return [(k, clamped(v) if k == "per_page" else v) for k, v in pairs]


def _per_page_1_rejected(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, "0" if (k, v) == ("per_page", "1") else v) for k, v in pairs]


def test_clamping_per_page_above_100_only_warns() -> None:
    """The documentation leaves reject-or-clamp open: a server that clamps is conformant."""
    outcome = run_properties(wrap=query_rewriter(_clamp))
    asked = [
        (sent.exchange.params.get("per_page", ""), sent.exchange.status)
        for sent in outcome.run.sent
    ]
    assert any(value.isdigit() and int(value) > 100 and status == 200 for value, status in asked)
    assert set(outcome.not_passed()) <= {"NF-PAG-100"}
    assert outcome.status("NF-PAG-100") in (Status.PASSED, Status.WARNED)


def test_rejecting_a_documented_per_page_fails_valid_values_accepted() -> None:
    outcome = run_properties(wrap=query_rewriter(_per_page_1_rejected))
    assert outcome.status("NF-PAG-101") is Status.FAILED
    assert "per_page=1" in (outcome.results["NF-PAG-101"].received or "")


def _with_response_checks(app_wrap: Callable[[ASGIApp], ASGIApp], ids: list[str]) -> RunResult:
    target = mock_target(RunOptions())
    assert target.app is not None
    target.app = app_wrap(target.app)
    return execute(target, select_checks(ids), seed=0)


def _walk_sizes_ask_one_more(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The property walks' small page sizes (3, 5) get one container more than asked (4 and 7
    are also the probes' sizes, which the response checks see without the property checks)."""
    return [(k, str(int(v) + 1) if k == "per_page" and v in ("3", "5") else v) for k, v in pairs]


def test_the_property_runs_responses_are_judged_by_the_response_checks() -> None:
    """NF-PAG-002 sees the generated pages: the same break passes without the property checks."""
    wrap = query_rewriter(_walk_sizes_ask_one_more)
    alone = _with_response_checks(wrap, ["NF-PAG-002"])
    assert [(c.id, c.status) for c in alone.checks] == [("NF-PAG-002", Status.PASSED)]
    with_properties = _with_response_checks(wrap, ["NF-PAG-002", *ALL_IDS])
    judged = next(c for c in with_properties.checks if c.id == "NF-PAG-002")
    assert judged.status is Status.FAILED, judged.message
    asked = judged.evidence[0]["request"]["url"]
    assert any(f"per_page={size}" in asked for size in (3, 5)), asked


@pytest.mark.slow
@pytest.mark.parametrize(("fault", "successor"), SUCCEEDED.items(), ids=list(SUCCEEDED))
def test_a_retired_checks_fault_fails_its_successor(fault: str, successor: str) -> None:
    target = mock_target(RunOptions(), faults=[fault])
    result = execute(target, select_checks([successor, *ALL_IDS]), seed=0)
    outcome = {c.id: c.status for c in result.checks}
    assert outcome[successor] is Status.FAILED, (fault, outcome)
