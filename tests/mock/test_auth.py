from __future__ import annotations

import pytest

from conformance.mock.fixture import MOCK_TOKEN, Fixture
from tests.mock.conftest import RESTRICTED, MockClient, assert_error

FIXTURE = Fixture.default()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": MOCK_TOKEN},
        {"Authorization": f"Basic {MOCK_TOKEN}"},
        {"Authorization": "Bearer nf-unknown-0123456789abcdef"},
        {"Authorization": f"Bearer {MOCK_TOKEN}x"},
    ],
    ids=["none", "empty", "scheme-only", "scheme-space", "no-scheme", "basic", "unknown", "near"],
)
def test_missing_malformed_or_unknown_tokens_are_401(
    client: MockClient, headers: dict[str, str]
) -> None:
    for path in (client.containers_path, client.team_containers_path):
        error = assert_error(client.get(path, headers=headers), 401)
        assert "token" in error["message"].lower() or "authorization" in error["message"].lower()


def test_the_scheme_is_case_insensitive(client: MockClient) -> None:
    response = client.containers(headers={"Authorization": f"bearer {MOCK_TOKEN}"})
    assert response.status_code == 200


def test_the_restricted_token_is_403_on_both_routes(client: MockClient) -> None:
    for path in (client.containers_path, client.team_containers_path):
        error = assert_error(client.get(path, headers=RESTRICTED), 403)
        assert "permission" in error["message"]


def test_the_restricted_token_may_list_runs(client: MockClient) -> None:
    path = f"/v1/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}/runs"
    assert client.get(path, headers=RESTRICTED).status_code == 200


def test_authentication_comes_before_not_found(client: MockClient) -> None:
    path = f"/v1/projects/nope/jobs/{FIXTURE.job_id}/containers"
    assert_error(client.get(path, headers={}), 401)


def test_errors_never_carry_data(client: MockClient) -> None:
    for response in (
        client.containers(headers={}),
        client.containers(headers=RESTRICTED),
        client.containers({"per_page": 0}),
        client.containers({"runId": "nope"}),
    ):
        assert "data" not in response.json()
        assert "nightly-report-" not in response.text
