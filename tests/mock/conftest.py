"""In-process access to the mock: a small synchronous client over httpx's ASGI transport."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture

FULL = {"Authorization": f"Bearer {MOCK_TOKEN}"}
RESTRICTED = {"Authorization": f"Bearer {MOCK_RESTRICTED_TOKEN}"}


class MockClient:
    """Sends one request at a time to an ASGI app, no sockets; full token unless told."""

    def __init__(self, app: Starlette, fixture: Fixture | None = None) -> None:
        self.app = app
        self.fixture = fixture or app.state.mock.fixture

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | list[tuple[str, Any]] | str | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
                return await client.request(
                    method, path, params=params, headers=FULL if headers is None else headers
                )

        return asyncio.run(send())

    def get(
        self, path: str, params: Any = None, headers: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        return self.request("GET", path, params, headers)

    @property
    def containers_path(self) -> str:
        f = self.fixture
        return f"/v1/projects/{f.project_id}/jobs/{f.job_id}/containers"

    @property
    def team_containers_path(self) -> str:
        f = self.fixture
        return f"/v1/teams/{f.team_id}/projects/{f.project_id}/jobs/{f.job_id}/containers"

    def containers(
        self, params: Any = None, headers: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        return self.get(self.containers_path, params, headers)

    def walk(
        self, params: dict[str, Any] | None = None, *, team: bool = False
    ) -> list[dict[str, Any]]:
        """Every page of a cursor walk, as the Python SDK does it (query resent plus cursor)."""
        path = self.team_containers_path if team else self.containers_path
        query = dict(params or {})
        pages = []
        for _ in range(10_000):
            response = self.get(path, query)
            assert response.status_code == 200, response.text
            page = response.json()
            pages.append(page)
            cursor = page["pagination"].get("cursor")
            if not page["pagination"]["hasNextPage"]:
                assert cursor is None
                return pages
            query["cursor"] = cursor
        raise AssertionError("the walk did not end")


def names(pages: list[dict[str, Any]]) -> list[str]:
    """The container names of a walk's pages, in order."""
    return [item["name"] for page in pages for item in page["data"]["containers"]]


def expected_names(run_id: str, fixture: Fixture | None = None) -> list[str]:
    """Every container name of a run of the first job, in the mock's order."""
    run = (fixture or Fixture.default()).jobs[0].run(run_id)
    assert run is not None
    return [item.name for item in run.page(0, run.container_count)]


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """``response`` is a well-formed error answer of ``status`` that leaks no token."""
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


@pytest.fixture
def client() -> MockClient:
    return MockClient(create_app())
