from __future__ import annotations

from typing import Any

import pytest

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_TOKEN, Fixture, Run
from tests.mock.conftest import FULL, MockClient, assert_error, expected_names, names

FIXTURE = Fixture.default()
LATEST, BIG, OLD = FIXTURE.run_ids


# --- the run filter ------------------------------------------------------------------------------


def test_without_run_id_the_latest_run_is_listed(client: MockClient) -> None:
    body = client.containers().json()
    assert body["data"]["runId"] == LATEST
    assert [item["name"] for item in body["data"]["containers"]] == expected_names(LATEST)
    assert body["pagination"] == {"hasNextPage": False, "count": 12}


WALKS = [
    (run, size) for run in (LATEST, BIG, OLD) for size in (1, 7, 50, 100) if (run, size) != (BIG, 1)
]


@pytest.mark.parametrize(("run_id", "per_page"), WALKS)
def test_a_cursor_walk_drains_exactly_one_run(
    client: MockClient, run_id: str, per_page: int
) -> None:
    pages = client.walk({"runId": run_id, "per_page": per_page})
    assert names(pages) == expected_names(run_id)
    assert {page["data"]["runId"] for page in pages} == {run_id}
    assert all(page["pagination"]["count"] == len(page["data"]["containers"]) for page in pages)
    assert all(len(page["data"]["containers"]) == per_page for page in pages[:-1])
    assert "cursor" not in pages[-1]["pagination"]


def test_the_second_job_has_its_own_runs(client: MockClient) -> None:
    job = FIXTURE.jobs[1]
    path = f"/v1/projects/{FIXTURE.project_id}/jobs/{job.id}/containers"
    body = client.get(path).json()
    assert body["data"]["runId"] == job.latest_run.id
    assert len(body["data"]["containers"]) == job.latest_run.container_count
    assert_error(client.get(path, {"runId": LATEST}), 404)


@pytest.mark.parametrize("run_id", ["00000676-9be8-41dd-b0f7-ba7df935cf27", "x", LATEST.upper()])
def test_an_unknown_run_is_404(client: MockClient, run_id: str) -> None:
    error = assert_error(client.containers({"runId": run_id}), 404)
    assert "run" in error["message"].lower()


def test_an_empty_run_id_is_400(client: MockClient) -> None:
    assert_error(client.containers({"runId": ""}), 400)


# --- stability and the team route ----------------------------------------------------------------


def test_the_same_request_gives_the_same_answer(client: MockClient) -> None:
    params = {"runId": BIG, "per_page": 30, "page": 3}
    assert client.containers(params).json() == client.containers(params).json()


@pytest.mark.parametrize("params", [{}, {"runId": BIG, "per_page": 40}, {"runId": OLD}])
def test_the_team_route_serves_the_same_data(client: MockClient, params: dict[str, Any]) -> None:
    assert client.walk(params, team=True) == client.walk(params)


# --- not found and methods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "word"),
    [
        (f"/v1/projects/nope/jobs/{FIXTURE.job_id}/containers", "project"),
        (f"/v1/projects/{FIXTURE.project_id}/jobs/nope/containers", "job"),
        (f"/v1/teams/nope/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}/containers", "team"),
        (f"/v1/teams/{FIXTURE.team_id}/projects/nope/jobs/{FIXTURE.job_id}/containers", "project"),
        (f"/v1/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}/containers/", "cannot"),
        (f"/v1/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}", "cannot"),
        ("/", "cannot"),
    ],
)
def test_unknown_resources_are_404(client: MockClient, path: str, word: str) -> None:
    assert word in assert_error(client.get(path), 404)["message"].lower()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_other_methods_are_405_with_allow(client: MockClient, method: str) -> None:
    for path in (client.containers_path, client.team_containers_path):
        response = client.request(method, path)
        assert_error(response, 405)
        assert response.headers["allow"] == "GET, HEAD"


def test_head_answers_like_get_without_a_body(client: MockClient) -> None:
    response = client.request("HEAD", client.containers_path)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "application/json"


# --- the runs list -------------------------------------------------------------------------------


@pytest.mark.parametrize("team", [False, True])
def test_runs_are_listed_newest_first_with_the_same_pagination(
    client: MockClient, team: bool
) -> None:
    prefix = f"/v1/teams/{FIXTURE.team_id}" if team else "/v1"
    path = f"{prefix}/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}/runs"
    whole = client.get(path).json()
    assert [run["id"] for run in whole["data"]["runs"]] == FIXTURE.run_ids
    assert whole["pagination"] == {"hasNextPage": False, "count": 3}
    first = whole["data"]["runs"][0]
    assert first["status"] == "RUNNING"
    assert "concludedAt" not in first
    assert {"runName", "startedAt", "active", "succeeded", "failed", "concluded"} <= set(first)
    assert whole["data"]["runs"][1]["concludedAt"].endswith("Z")
    seen, query = [], {"per_page": 1}
    while True:
        body = client.get(path, query).json()
        seen += [run["id"] for run in body["data"]["runs"]]
        if not body["pagination"]["hasNextPage"]:
            assert "cursor" not in body["pagination"]
            break
        query["cursor"] = body["pagination"]["cursor"]
    assert seen == FIXTURE.run_ids
    assert client.get(path, {"page": 2, "per_page": 2}).json()["data"]["runs"][0]["id"] == OLD
    assert_error(client.get(path, {"per_page": 0}), 400)
    assert_error(client.get(path, {"cursor": "x"}), 400)
    assert_error(client.get(path, headers={}), 401)


# --- never a 5xx ---------------------------------------------------------------------------------


def test_an_unexpected_exception_is_answered_400_not_500(
    client: MockClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(client.app.state.mock, "_handle", explode)
    response = client.containers()
    assert_error(response, 400)
    assert "boom" not in response.text


def test_headers_the_starlette_stack_rejects_do_not_reach_a_5xx(client: MockClient) -> None:
    weird = {"Authorization": b"Bearer \xff\xfe", "Accept": b"*/*;q=x", "Cookie": b"=;=;"}
    assert_error(client.containers(headers=weird), 401)
    assert client.get("/v1/projects/%ff/jobs/%00/containers").status_code == 404


def test_the_default_app_uses_the_default_fixture() -> None:
    assert create_app().state.mock.fixture == Fixture.default()
    assert FULL["Authorization"].endswith(MOCK_TOKEN)


# --- scale -------------------------------------------------------------------------------------


def test_a_million_containers_page_by_page_without_materialising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fixture = Fixture.with_containers(1_000_000)
    client = MockClient(create_app(fixture))
    built: list[int] = []
    original = Run.container

    def counting(self: Run, index: int) -> Any:
        built.append(index)
        return original(self, index)

    monkeypatch.setattr(Run, "container", counting)
    body = client.containers({"per_page": 100, "page": 9_999}).json()
    assert body["pagination"]["count"] == 100
    assert body["pagination"]["hasNextPage"] is True
    last = client.containers({"cursor": body["pagination"]["cursor"]}).json()
    assert last["pagination"] == {"hasNextPage": False, "count": 100}
    assert last["data"]["containers"][-1] == original(fixture.jobs[0].latest_run, 999_999).as_json()
    assert len(built) == 200


def test_a_run_without_containers_is_an_empty_last_page() -> None:
    client = MockClient(create_app(Fixture.with_containers(0)))
    body = client.containers().json()
    assert body == {
        "data": {"containers": [], "runId": client.fixture.latest_run_id},
        "pagination": {"hasNextPage": False, "count": 0},
    }
