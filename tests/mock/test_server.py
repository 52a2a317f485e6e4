from __future__ import annotations

import socket

import httpx
import pytest

from conformance.mock.app import create_app
from conformance.mock.server import HOST, PortUnavailable, bind, serve_in_thread
from tests.mock.conftest import FULL


def test_serve_in_thread_answers_over_http_then_stops() -> None:
    app = create_app()
    fixture = app.state.mock.fixture
    with serve_in_thread(app) as base_url:
        assert base_url.startswith(f"http://{HOST}:")
        path = f"/v1/projects/{fixture.project_id}/jobs/{fixture.job_id}/containers"
        response = httpx.get(base_url + path, headers=FULL)
        assert response.status_code == 200
        assert response.json()["data"]["runId"] == fixture.latest_run_id
        head = httpx.head(base_url + path, headers=FULL)
        assert head.status_code == 200
        assert head.content == b""
    port = int(base_url.rsplit(":", 1)[1])
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url + path, headers=FULL, timeout=2)
    bind(port).close()  # the port is free again


def test_a_port_in_use_is_reported_clearly() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve_in_thread(create_app(), port=port)
        with pytest.raises(PortUnavailable, match=f"cannot listen on {HOST}:{port}"), server:
            pass  # pragma: no cover
