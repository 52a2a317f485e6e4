from __future__ import annotations

from typing import Any

import pytest

from conformance.mock.app import create_app
from conformance.mock.fixture import Fixture
from tests.mock.conftest import MockClient, assert_error, expected_names, names

FIXTURE = Fixture.default()
_, BIG, OLD = FIXTURE.run_ids


# --- page size and page number -------------------------------------------------------------------


def test_per_page_defaults_to_50(client: MockClient) -> None:
    body = client.containers({"runId": BIG}).json()
    assert body["pagination"]["count"] == 50
    assert body["pagination"]["hasNextPage"] is True


@pytest.mark.parametrize("value", ["0", "101", "-1", "abc", "1.5", "", " 5", "1e2", "５"])
def test_per_page_outside_1_to_100_is_400(client: MockClient, value: str) -> None:
    error = assert_error(client.containers({"per_page": value}), 400)
    assert error["details"] == {"parameter": "per_page"}


@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "2.0"])
def test_page_below_1_or_not_an_integer_is_400(client: MockClient, value: str) -> None:
    error = assert_error(client.containers({"page": value}), 400)
    assert error["details"] == {"parameter": "page"}


@pytest.mark.parametrize("name", ["per_page", "page", "cursor", "runId"])
def test_a_repeated_parameter_is_400(client: MockClient, name: str) -> None:
    assert_error(client.containers([(name, "1"), (name, "2")]), 400)


def test_page_numbers_walk_the_same_items_as_cursors(client: MockClient) -> None:
    by_page: list[str] = []
    for page in range(1, 5):
        body = client.containers({"runId": BIG, "per_page": 70, "page": page}).json()
        by_page.extend(item["name"] for item in body["data"]["containers"])
        assert body["pagination"]["hasNextPage"] is (page < 4)
        assert ("cursor" in body["pagination"]) is (page < 4)
    assert by_page == names(client.walk({"runId": BIG, "per_page": 70})) == expected_names(BIG)


@pytest.mark.parametrize("page", ["5", "1000", "9" * 40])
def test_a_page_beyond_the_end_is_empty(client: MockClient, page: str) -> None:
    response = client.containers({"runId": BIG, "per_page": "60", "page": page})
    assert response.status_code == 200
    assert response.json() == {
        "data": {"containers": [], "runId": BIG},
        "pagination": {"hasNextPage": False, "count": 0},
    }


def test_per_page_1_and_100_are_honoured(client: MockClient) -> None:
    assert client.containers({"runId": BIG, "per_page": 1}).json()["pagination"]["count"] == 1
    assert client.containers({"runId": BIG, "per_page": 100}).json()["pagination"]["count"] == 100


# --- cursors -------------------------------------------------------------------------------------


def first_cursor(client: MockClient, **params: Any) -> str:
    cursor: str = client.containers(params).json()["pagination"]["cursor"]
    return cursor


def test_a_cursor_keeps_its_filter_and_page_size(client: MockClient) -> None:
    cursor = first_cursor(client, runId=BIG, per_page=7)
    for params in ({}, {"per_page": 3}, {"page": 9}, {"runId": BIG, "per_page": 100}):
        body = client.containers({**params, "cursor": cursor}).json()
        assert body["data"]["runId"] == BIG
        assert [item["name"] for item in body["data"]["containers"]] == expected_names(BIG)[7:14]


def test_a_cursor_for_another_run_is_400(client: MockClient) -> None:
    cursor = first_cursor(client, runId=BIG, per_page=7)
    assert_error(client.containers({"cursor": cursor, "runId": OLD}), 400)


def test_a_cursor_for_another_job_or_list_is_400(client: MockClient) -> None:
    job = FIXTURE.jobs[1]
    other = f"/v1/projects/{FIXTURE.project_id}/jobs/{job.id}/containers"
    cursor = client.get(other, {"per_page": 1}).json()["pagination"]["cursor"]
    assert_error(client.containers({"cursor": cursor}), 400)
    runs = f"/v1/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}/runs"
    runs_cursor = client.get(runs, {"per_page": 1}).json()["pagination"]["cursor"]
    assert_error(client.containers({"cursor": runs_cursor}), 400)


@pytest.mark.parametrize("cursor", ["", "abc", "0" * 24, "eyJwIjoyfQ", "null", "1" * 100])
def test_a_malformed_cursor_is_400(client: MockClient, cursor: str) -> None:
    error = assert_error(client.containers({"cursor": cursor}), 400)
    assert error["details"] == {"parameter": "cursor"}


def test_an_altered_cursor_is_400(client: MockClient) -> None:
    cursor = first_cursor(client, runId=BIG)
    altered = cursor[:-1] + ("0" if cursor[-1] != "0" else "1")
    assert_error(client.containers({"cursor": altered}), 400)


def test_cursors_work_on_any_app_serving_the_same_fixture(client: MockClient) -> None:
    cursor = first_cursor(client, runId=BIG)
    other = MockClient(create_app())
    assert other.containers({"cursor": cursor}).json()["data"]["runId"] == BIG
