"""The whole CLI against misbehaving servers, with random tokens: a clean end, and no token out.

Each run is a subprocess, so every stream and file it produces is searched for the tokens. The
runs mostly wait (on their servers, their deadline, interpreter start-up), so they run side by
side, once per module, and each test reads the outcome of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.servers import Conn, Handler, Loopback, refused_port
from tests.hostile.test_secrets import echo

pytestmark = pytest.mark.slow


def endless_echo(conn: Conn) -> None:
    """Pages that never end, each echoing the Authorization header into headers and body."""
    authorization = conn.request.headers.get("authorization", "")
    page = {
        "data": {"containers": [], "runId": authorization},
        "pagination": {"hasNextPage": True, "cursor": f"c{conn.index}", "count": 0},
    }
    conn.respond(200, json.dumps(page), [("X-Echo", authorization)])


def hang(conn: Conn) -> None:
    conn.wait(30)


@dataclass
class Outcome:
    code: int
    output: str
    written: str  # stdout, stderr and every file the run wrote
    tokens: list[str]
    took: float
    requests_received: int
    report_dir: Path

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.report_dir / "report.json").read_text())
        return data


SCENARIOS: dict[str, tuple[Handler | None, list[str]]] = {
    "echo": (echo, ["--max-requests", "60"]),
    "endless": (endless_echo, ["--max-requests", "60"]),
    "hang": (hang, ["--timeout", "0.5", "--deadline", "15"]),
    "unreachable": (None, []),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    with contextlib.ExitStack() as stack:
        started: dict[str, tuple[subprocess.Popen[str], Loopback | None, list[str], Path]] = {}
        for name, (handler, extra) in SCENARIOS.items():
            if handler is None:
                sock, port = refused_port()
                stack.enter_context(sock)
                server, url = None, f"http://127.0.0.1:{port}"
            else:
                server = stack.enter_context(Loopback(handler, max_lifetime_s=120))
                url = server.url
            tokens = ["nf-" + secrets.token_hex(20), "nf-" + secrets.token_hex(20)]
            env = {
                **os.environ,
                "NORTHFLANK_API_TOKEN": tokens[0],
                "NF_CONFORMANCE_RESTRICTED_TOKEN": tokens[1],
            }
            env.pop("NORTHFLANK_API_BASE_URL", None)
            out = tmp_path_factory.mktemp(name)
            command = [sys.executable, "-m", "conformance.cli", "run", "--base-url", url]
            command += ["--project-id", "demo", "--job-id", "nightly"]
            command += ["--report-dir", str(out / "report"), "--rate", "100", *extra]
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            stack.callback(process.kill)  # a no-op once it has ended
            started[name] = (process, server, tokens, out)
        begun = time.monotonic()
        results: dict[str, Outcome] = {}
        for name, (process, server, tokens, out) in started.items():
            stdout, stderr = process.communicate(timeout=180)
            took = time.monotonic() - begun
            files = [path.read_text(errors="replace") for path in out.rglob("*") if path.is_file()]
            results[name] = Outcome(
                code=process.returncode,
                output=stderr + stdout,
                written="\n".join([stdout, stderr, *files]),
                tokens=tokens,
                took=took,
                requests_received=0 if server is None else len(server.requests),
                report_dir=out / "report",
            )
        yield results


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_run_leaks_a_token_or_a_traceback(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    assert outcome.written
    assert [token for token in outcome.tokens if token in outcome.written] == []
    assert "Traceback" not in outcome.written


@pytest.mark.parametrize("name", ["echo", "endless"])
def test_a_misbehaving_target_fails_the_run_within_its_budget(
    outcomes: dict[str, Outcome], name: str
) -> None:
    outcome = outcomes[name]
    assert outcome.code == 1, outcome.output
    report = outcome.report()
    assert 0 < report["requests_sent"] <= 60
    assert report["requests_sent"] == outcome.requests_received
    assert report["transport"]["requests_sent"] == report["requests_sent"]


def test_a_hanging_target_ends_the_run_within_its_deadline(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["hang"]
    # The deadline counts from the client's creation, so the suite's own start-up (schemathesis
    # setup) spends part of it; 15 s leaves room for requests even on a loaded machine.
    assert outcome.requests_received > 0, outcome.output
    assert outcome.code == 1, outcome.output
    assert outcome.took < 15 + 20, "the deadline, plus start-up and report writing, side by side"
    assert outcome.report()["transport"]["timeouts"] >= 1


def test_an_unreachable_target_exits_3_with_one_line(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["unreachable"]
    assert outcome.code == 3, outcome.output
    assert "cannot reach" in outcome.output
    assert len(outcome.output.strip().splitlines()) == 1
