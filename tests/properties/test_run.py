"""The property run: deterministic under the seed, within its share and the run's budget, GET
only, and every request through the run's TargetClient (schemathesis sends nothing itself)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import requests
from schemathesis.transport.requests import RequestsTransport

from conformance.mock.server import serve_in_thread
from conformance.results import Status
from tests.properties.harness import run_properties


def test_the_same_seed_sends_the_same_requests() -> None:
    first, second = run_properties(seed=7), run_properties(seed=7)
    assert first.urls() == second.urls()
    assert len(first.urls()) == first.requests_sent


def test_another_seed_sends_other_generated_requests() -> None:
    assert run_properties(seed=1).urls() != run_properties(seed=2).urls()


def test_a_spent_run_budget_skips_the_property_checks_never_passes_them() -> None:
    outcome = run_properties(settings=lambda s: replace(s, max_requests=5))
    assert outcome.requests_sent == 5
    assert outcome.run.stopped
    for check_id, result in outcome.results.items():
        assert result.status is Status.SKIPPED, (check_id, result.status, result.message)
        assert "budget" in result.message, result.message


def test_a_violation_found_before_the_budget_ran_out_still_fails() -> None:
    outcome = run_properties(["partial-content-206"], settings=lambda s: replace(s, max_requests=5))
    assert outcome.status("NF-HTTP-101") is Status.FAILED
    assert outcome.status("NF-PRM-100") is Status.SKIPPED


def test_the_property_share_caps_the_requests_and_says_what_was_left() -> None:
    outcome = run_properties(options={"max_requests": 12})
    assert outcome.requests_sent == 12
    assert outcome.run.unsent > 0
    assert outcome.run.stopped is None
    assert not any(r.status is Status.FAILED for r in outcome.results.values())


def test_only_get_is_sent_and_schemathesis_sends_nothing_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("schemathesis tried to send a request itself")

    monkeypatch.setattr(RequestsTransport, "send", refuse)
    monkeypatch.setattr(requests.Session, "send", refuse)
    outcome = run_properties()
    assert outcome.not_passed() == {}
    assert {exchange.method for exchange in outcome.exchanges} == {"GET"}
    assert len(outcome.exchanges) == outcome.requests_sent == outcome.run.requests


def test_without_a_team_id_only_the_project_route_is_generated() -> None:
    outcome = run_properties(team=False)
    assert outcome.not_passed() == {}
    assert all(not exchange.path.startswith("/v1/teams/") for exchange in outcome.exchanges)


@pytest.mark.slow
def test_the_property_checks_pass_against_the_mock_over_http() -> None:
    """A live-mode run: real sockets on 127.0.0.1, the client's live path (GET-only enforced)."""
    from conformance.mock.app import create_app

    with serve_in_thread(create_app()) as base_url:
        outcome = run_properties(settings=lambda s: replace(s, base_url=base_url))
    assert outcome.not_passed() == {}
    assert {exchange.method for exchange in outcome.exchanges} == {"GET"}
    assert 0 < outcome.requests_sent <= 40
