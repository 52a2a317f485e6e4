from __future__ import annotations

from tests.mock.conftest import MockClient


def test_first_page_lists_the_latest_run(client: MockClient) -> None:
    response = client.containers()
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["runId"] == client.fixture.run_ids[0]
    assert body["pagination"] == {"hasNextPage": False, "count": 12}
