"""The official Python SDK (``northflank`` 2.1.0) against the mock over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from northflank import ApiClient
from northflank.errors import ApiCallError

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import serve_in_thread

FIXTURE = Fixture.default()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread(create_app(FIXTURE)) as url:
        yield url


def sdk(base_url: str, token: str = MOCK_TOKEN) -> Any:
    return ApiClient(token, base_url=base_url, timeout=10)


def expected(run_id: str) -> list[dict[str, Any]]:
    run = FIXTURE.jobs[0].run(run_id)
    assert run is not None
    return [item.as_json() for item in run.page(0, run.container_count)]


ROUTES = [None, FIXTURE.team_id]


@pytest.mark.parametrize("team_id", ROUTES, ids=["project-route", "team-route"])
@pytest.mark.parametrize("run_id", [*FIXTURE.run_ids, None])
def test_all_drains_every_run_without_duplicates(
    base_url: str, team_id: str | None, run_id: str | None
) -> None:
    response = sdk(base_url).get.job.containers.all(
        project_id=FIXTURE.project_id,
        job_id=FIXTURE.job_id,
        team_id=team_id,
        run_id=run_id,
        per_page=100,
    )
    assert response.error is None
    # all() keeps one {containers, runId} object a page for this endpoint
    pages = response.data
    assert isinstance(pages, list)
    containers = [item for page in pages for item in page["containers"]]
    wanted = run_id or FIXTURE.latest_run_id
    assert {page["runId"] for page in pages} == {wanted}
    assert containers == expected(wanted)
    assert len({item["name"] for item in containers}) == len(containers)
    if team_id:
        assert "/v1/teams/" in response.request.url


@pytest.mark.parametrize("team_id", ROUTES, ids=["project-route", "team-route"])
def test_one_call_then_next_pages_by_hand(base_url: str, team_id: str | None) -> None:
    run_id = FIXTURE.run_ids[1]
    page = sdk(base_url).get.job.containers(
        project_id=FIXTURE.project_id, job_id=FIXTURE.job_id, team_id=team_id, run_id=run_id
    )
    seen = list(page.data["containers"])
    assert page.pagination.count == 50
    while page.pagination and page.pagination.has_next_page:
        page = page.pagination.get_next_page()
        assert page.data["runId"] == run_id
        seen += page.data["containers"]
    assert seen == expected(run_id)


def test_the_default_page_size_walk_without_run_id(base_url: str) -> None:
    response = sdk(base_url).get.job.containers.all(
        project_id=FIXTURE.project_id, job_id=FIXTURE.job_id
    )
    assert [page["runId"] for page in response.data] == [FIXTURE.latest_run_id]


@pytest.mark.parametrize(
    ("token", "kwargs", "status", "words"),
    [
        ("nf-unknown-token", {}, 401, "invalid"),
        (MOCK_RESTRICTED_TOKEN, {}, 403, "permission"),
        (MOCK_TOKEN, {"job_id": "no-such-job"}, 404, "not found"),
        (MOCK_TOKEN, {"run_id": "no-such-run"}, 404, "not found"),
        (MOCK_TOKEN, {"per_page": 500}, 400, "per_page"),
        (MOCK_TOKEN, {"page": 0}, 400, "page"),
        (MOCK_TOKEN, {"cursor": "not-a-cursor"}, 400, "cursor"),
        (MOCK_TOKEN, {"team_id": "no-such-team"}, 404, "team"),
    ],
)
def test_errors_surface_as_api_call_error(
    base_url: str, token: str, kwargs: dict[str, Any], status: int, words: str
) -> None:
    call: dict[str, Any] = {"project_id": FIXTURE.project_id, "job_id": FIXTURE.job_id, **kwargs}
    endpoint = sdk(base_url, token).get.job.containers
    for method in (endpoint, endpoint.all):
        with pytest.raises(ApiCallError) as caught:
            method(**call)
        assert caught.value.status == status
        assert words in caught.value.message.lower()
        assert caught.value.id
