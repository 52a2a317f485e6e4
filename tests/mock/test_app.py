from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_TOKEN, Fixture, Run
from tests.mock.conftest import FULL, RESTRICTED, MockClient

FIXTURE = Fixture.default()
LATEST, BIG, OLD = FIXTURE.run_ids


def names(pages: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for page in pages for item in page["data"]["containers"]]


def expected_names(run_id: str, fixture: Fixture = FIXTURE) -> list[str]:
    run = fixture.jobs[0].run(run_id)
    assert run is not None
    return [item.name for item in run.page(0, run.container_count)]


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["id"], str)
    assert error["id"]
    assert MOCK_TOKEN not in response.text
    return dict(error)


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


# --- credentials ---------------------------------------------------------------------------------


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


# --- rate limits ---------------------------------------------------------------------------------


def test_every_answer_carries_rate_limit_headers(client: MockClient) -> None:
    answers = [
        client.containers(),
        client.containers(headers={}),
        client.containers({"per_page": 0}),
        client.get("/nowhere"),
        client.request("POST", client.containers_path),
    ]
    remaining = [int(answer.headers["x-ratelimit-remaining"]) for answer in answers]
    assert remaining == sorted(remaining, reverse=True)
    assert len(set(remaining)) == len(answers)
    for answer in answers:
        assert int(answer.headers["x-ratelimit-limit"]) > remaining[0]
        assert 1 <= int(answer.headers["x-ratelimit-reset"]) <= 3600


def test_an_enforced_limit_answers_429_with_retry_after_until_the_window_resets() -> None:
    now = [1000.0]
    limited = MockClient(create_app(rate_limit=3, rate_window_s=60, clock=lambda: now[0]))
    for expected in ("2", "1", "0"):
        response = limited.containers()
        assert response.status_code == 200
        assert response.headers["x-ratelimit-remaining"] == expected
        assert response.headers["x-ratelimit-limit"] == "3"
    now[0] += 20
    response = limited.containers()
    assert_error(response, 429)
    assert response.headers["retry-after"] == response.headers["x-ratelimit-reset"] == "40"
    now[0] += 40
    assert limited.containers().status_code == 200


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
