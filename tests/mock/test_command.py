"""``nf-conformance mock`` as a user runs it: a subprocess on 127.0.0.1."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conformance.mock.configurations import CONFIGURATIONS, ECHO_HEADER
from conformance.mock.faults import FAULTS
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture

COMMAND = [sys.executable, "-m", "conformance.cli", "mock"]
pytestmark = pytest.mark.slow


_LINES: dict[int, queue.Queue[str]] = {}


def read_line(process: subprocess.Popen[str], timeout: float = 15) -> str:
    """The next stdout line, read by a helper thread so a silent process cannot hang the test."""
    if process.pid not in _LINES:
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None

        def pump() -> None:
            for line in stdout:
                lines.put(line)

        threading.Thread(target=pump, daemon=True).start()
        _LINES[process.pid] = lines
    try:
        return _LINES[process.pid].get(timeout=timeout)
    except queue.Empty:
        raise AssertionError("no output in time") from None


@contextmanager
def started(*args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_json_line_then_serves_until_signalled(sig: signal.Signals) -> None:
    with started("--port", "0", "--json") as process:
        summary = json.loads(read_line(process))
        fixture = Fixture.default()
        assert summary == {
            "base_url": summary["base_url"],
            "team_id": fixture.team_id,
            "project_id": fixture.project_id,
            "job_id": fixture.job_id,
            "run_ids": fixture.run_ids,
            "token": MOCK_TOKEN,
            "restricted_token": MOCK_RESTRICTED_TOKEN,
        }
        # printed only once the server accepts connections: no retry needed
        path = f"/v1/projects/{fixture.project_id}/jobs/{fixture.job_id}/containers"
        response = httpx.get(
            summary["base_url"] + path, headers={"Authorization": f"Bearer {MOCK_TOKEN}"}
        )
        assert response.status_code == 200
        process.send_signal(sig)
        assert process.wait(timeout=15) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


def test_text_output_names_the_url_ids_and_tokens() -> None:
    with started("--port", "0", "--fault", "cursor-ignored", "--containers", "500") as process:
        lines = [read_line(process) for _ in range(8)]
        text = "".join(lines)
        fixture = Fixture.default()
        for value in (fixture.team_id, fixture.project_id, fixture.job_id, fixture.second_job_id):
            assert value in text
        assert MOCK_TOKEN in text
        assert MOCK_RESTRICTED_TOKEN in text
        assert all(run_id in text for run_id in fixture.run_ids)
        assert "cursor-ignored" in text
        base_url = lines[0].split()[-1]
        path = f"/v1/projects/{fixture.project_id}/jobs/{fixture.job_id}/containers"
        headers = {"Authorization": f"Bearer {MOCK_TOKEN}"}
        first = httpx.get(base_url + path, headers=headers).json()
        assert first["pagination"]["count"] == 50
        cursor = first["pagination"]["cursor"]
        again = httpx.get(base_url + path, params={"cursor": cursor}, headers=headers).json()
        assert again == first  # the fault is active
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_rate_limit_is_enforced() -> None:
    with started("--port", "0", "--json", "--rate-limit", "2") as process:
        base_url = json.loads(read_line(process))["base_url"]
        codes = [httpx.get(base_url + "/v1").status_code for _ in range(3)]
        assert codes == [404, 404, 429]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def _listing(base_url: str, **params: str) -> httpx.Response:
    fixture = Fixture.default()
    path = f"/v1/projects/{fixture.project_id}/jobs/{fixture.job_id}/containers"
    headers = {"Authorization": f"Bearer {MOCK_TOKEN}"}
    return httpx.get(base_url + path, params=params, headers=headers)


@pytest.mark.parametrize(
    ("configuration", "params"),
    [("lenient-per-page-clamp", {"per_page": "1000"}), ("lenient-page-first", {"page": "0"})],
)
def test_a_lenient_configuration_answers_what_the_clean_mock_rejects(
    configuration: str, params: dict[str, str]
) -> None:
    with started("--port", "0", "--json") as clean:
        assert _listing(json.loads(read_line(clean))["base_url"], **params).status_code == 400
        clean.send_signal(signal.SIGTERM)
        assert clean.wait(timeout=15) == 0
    with started("--port", "0", "--configuration", configuration) as process:
        lines = [read_line(process) for _ in range(8)]
        assert f"  configuration: {configuration}\n" in lines
        response = _listing(lines[0].split()[-1], **params)
        assert response.status_code == 200
        assert response.json()["data"]["containers"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_the_echo_token_configuration_echoes_the_callers_token() -> None:
    with started("--port", "0", "--json", "--configuration", "echo-token") as process:
        response = _listing(json.loads(read_line(process))["base_url"])
        assert response.status_code == 200
        assert response.headers[ECHO_HEADER] == MOCK_TOKEN
        assert response.json()["echo"] == {"token": MOCK_TOKEN}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_list_faults_prints_one_line_each() -> None:
    result = subprocess.run(
        [*COMMAND, "--list-faults"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(FAULTS)
    assert all(line.split()[1].startswith("REQ-") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fault", "cursor-ignord"], "Did you mean 'cursor-ignored'"),
        (["--port", "http"], "--port: expected a whole number, got 'http'"),
        (["--rate-limit", "0"], "expected 1 or more"),
        (["--configuration", "lenientt"], "configuration 'lenientt'. Did you mean 'lenient'"),
        (["--configuration", "strict"], f"Configurations: {', '.join(CONFIGURATIONS)}.\n"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    result = subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_exits_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [*COMMAND, "--port", port], capture_output=True, text=True, timeout=60, check=False
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_readme_names_every_configuration() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The built-in mock over HTTP", 1)[1].split("\n## ", 1)[0]
    assert [name for name in CONFIGURATIONS if f"`{name}`" not in section] == []
