"""The whole CLI against misbehaving servers, with random tokens: a clean end, and no token out.

Each run is a subprocess, so every stream and file it produces is searched for the tokens.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

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
    conn.wait(20)


def run_cli(url: str, tmp_path: Path, *extra: str) -> tuple[int, str, list[str], float]:
    tokens = ["nf-" + secrets.token_hex(20), "nf-" + secrets.token_hex(20)]
    env = {
        **os.environ,
        "NORTHFLANK_API_TOKEN": tokens[0],
        "NF_CONFORMANCE_RESTRICTED_TOKEN": tokens[1],
    }
    env.pop("NORTHFLANK_API_BASE_URL", None)
    command = [sys.executable, "-m", "conformance.cli", "run", "--base-url", url]
    command += ["--project-id", "demo", "--job-id", "nightly"]
    command += ["--report-dir", str(tmp_path / "out"), "--rate", "100", *extra]
    started = time.monotonic()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    took = time.monotonic() - started
    written = [done.stdout, done.stderr]
    written += [path.read_text(errors="replace") for path in tmp_path.rglob("*") if path.is_file()]
    everything = "\n".join(written)
    assert [token for token in tokens if token in everything] == [], "a token leaked"
    assert "Traceback" not in everything
    return done.returncode, done.stderr + done.stdout, tokens, took


@pytest.mark.parametrize("handler", [echo, endless_echo], ids=["echo", "endless"])
def test_a_misbehaving_target_fails_the_run_cleanly_without_leaking(
    handler: Handler, tmp_path: Path
) -> None:
    with Loopback(handler) as server:
        code, output, _, _ = run_cli(server.url, tmp_path, "--max-requests", "60")
    assert code == 1, output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert 0 < report["requests_sent"] <= 60
    assert report["requests_sent"] == len(server.requests)
    assert report["transport"]["requests_sent"] == report["requests_sent"]


def test_a_hanging_target_ends_the_run_within_its_deadline(tmp_path: Path) -> None:
    with Loopback(hang) as server:
        code, output, _, took = run_cli(server.url, tmp_path, "--timeout", "0.5", "--deadline", "4")
    assert code == 1, output
    assert took < 4 + 10, "the deadline, plus interpreter start-up and report writing"
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["transport"]["timeouts"] >= 1


def test_an_unreachable_target_exits_3_with_one_line(tmp_path: Path) -> None:
    sock, port = refused_port()
    with sock:
        code, output, _, took = run_cli(f"http://127.0.0.1:{port}", tmp_path)
    assert code == 3, output
    assert "cannot reach" in output
    assert took < 20
