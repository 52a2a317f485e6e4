"""Schemathesis against the mock in-process, driven by the fragment: negative and positive
requests on every operation never get a 5xx, and every answer conforms to the fragment."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, find, settings
from schemathesis import GenerationMode
from schemathesis import checks as st_checks
from schemathesis.core.failures import FailureGroup

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_TOKEN, Fixture
from conformance.spec import FRAGMENT_PATH

FIXTURE = Fixture.default()
IDS = {"teamId": FIXTURE.team_id, "projectId": FIXTURE.project_id, "jobId": FIXTURE.job_id}
CONFIG = schemathesis.Config.from_dict(
    {
        "analysis": {"constants": {"enabled": False}},
        "generation": {
            "mode": "all",
            "database": "none",
            "deterministic": True,
            "with-security-parameters": False,
            "max-examples": 60,
        },
        "checks": {
            # a schema-valid cursor we never issued is rightly 400
            "positive_data_acceptance": {"expected-statuses": ["200", "400", "404"]},
            "negative_data_rejection": {"expected-statuses": ["4XX"]},
        },
    }
)
schema = schemathesis.openapi.from_path(FRAGMENT_PATH, config=CONFIG)
schema.app = create_app(FIXTURE)  # before any lookup: operations are cached
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.negative_data_rejection,
]


UNDER_TEST = schema.include(tag="jobs")
DISCOVERY = schema.include(tag="discovery")


def send(case: Any, *, real_ids: bool) -> Any:
    if real_ids:
        case.path_parameters = {
            **case.path_parameters,
            **{name: value for name, value in IDS.items() if name in case.path_parameters},
        }
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {MOCK_TOKEN}"}
    return case.call()


def conforms(case: Any, *, real_ids: bool = True) -> bool:
    try:
        case.validate_response(send(case, real_ids=real_ids), checks=CHECKS)
    except FailureGroup:
        return False
    return True


@UNDER_TEST.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_generated_requests_on_the_real_ids(case: Any) -> None:
    response = send(case, real_ids=True)
    assert response.status_code < 500
    case.validate_response(response, checks=CHECKS)


@UNDER_TEST.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None, max_examples=30)
def test_generated_requests_on_generated_ids(case: Any) -> None:
    response = send(case, real_ids=False)
    assert response.status_code < 500
    case.validate_response(response, checks=CHECKS)


@DISCOVERY.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None, max_examples=30)
def test_the_runs_list_never_answers_5xx(case: Any) -> None:
    """Discovery only: its fragment documents just 200, so only the basics are checked."""
    checks = [st_checks.not_a_server_error, st_checks.content_type_conformance]
    response = send(case, real_ids=True)
    assert response.status_code < 500
    case.validate_response(response, checks=checks)


@pytest.mark.parametrize("fault", ["server-error-on-bad-input", "html-error-pages"])
def test_the_same_harness_catches_a_mock_that_fails_on_bad_input(fault: str) -> None:
    faulty = schemathesis.openapi.from_path(FRAGMENT_PATH, config=CONFIG)
    faulty.app = create_app(FIXTURE, [fault])
    operation = faulty["/v1/projects/{projectId}/jobs/{jobId}/containers"]["GET"]
    strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    search = settings(
        max_examples=100, database=None, derandomize=True, deadline=None, phases=[Phase.generate]
    )
    found = find(strategy, lambda case: not conforms(case), settings=search)
    assert not conforms(found)
