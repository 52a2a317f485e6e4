from __future__ import annotations

import os

import httpx
import pytest

from conformance.bench import servers


@pytest.mark.slow
def test_counted_mock_serves_the_fixture_counts_requests_and_stops() -> None:
    with servers.counted_mock(1_000) as server:
        line = servers.info(server)
        url = servers.base_url(line)
        assert url.startswith("http://127.0.0.1:")
        assert line["containers"] == 1_000
        path = f"/v1/projects/{line['project_id']}/jobs/{line['job_id']}/containers"
        headers = {"Authorization": f"Bearer {line['token']}"}
        page = httpx.get(url + path, params={"per_page": 100}, headers=headers, timeout=10)
        assert page.status_code == 200
        assert len(page.json()["data"]["containers"]) == 100
        assert httpx.get(url + path, timeout=10).status_code == 401
        assert servers.counted_requests(url) == {
            "requests": 2,
            "by_method": {"GET": 2},
            "by_status": {"200": 1, "401": 1},
        }
        assert server.proc is not None
        pid = server.proc.pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_base_url_accepts_the_usual_keys() -> None:
    assert servers.base_url({"base_url": "http://127.0.0.1:1/"}) == "http://127.0.0.1:1"
    assert servers.base_url({"url": "http://127.0.0.1:2"}) == "http://127.0.0.1:2"
    with pytest.raises(KeyError, match="no base URL"):
        servers.base_url({"port": 3})
