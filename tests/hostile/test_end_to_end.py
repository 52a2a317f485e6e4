"""The whole CLI against misbehaving servers, with random tokens: a clean end, and no token out.

Each run is a subprocess, so every stream and file it produces is searched for the tokens. The
runs mostly wait (on their servers, their deadline, interpreter start-up), so they run side by
side, once per module, and each test reads the outcome of one.
"""

from __future__ import annotations

import contextlib
import gzip
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


def endless_fresh(conn: Conn) -> None:
    """Pages that never end, each with new containers and a new cursor: only the cap stops it."""
    page = {
        "data": {"containers": [{"name": f"c-{conn.index}"}], "runId": "r1"},
        "pagination": {"hasNextPage": True, "cursor": f"c{conn.index}", "count": 1},
    }
    conn.respond(200, json.dumps(page))


BOMB = gzip.compress(bytes(100_000_000))  # 100 MB of zeros in about 100 kB


def hostile_bytes(conn: Conn) -> None:
    """A different broken answer to each request: a bomb, a bad head, bad JSON, a cut body."""
    match conn.index % 4:
        case 0:
            conn.respond(200, BOMB, [("Content-Encoding", "gzip")])
        case 1:
            conn.send(b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n{}")
        case 2:
            conn.respond(200, b'{"data": {"containers": [{"name": "\\udc80\xff"}]}}')
        case _:
            conn.respond(200, b"[" * 50_000)


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
    "endless-fresh": (endless_fresh, ["--max-requests", "150"]),
    "hostile-bytes": (hostile_bytes, ["--timeout", "5"]),
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


def test_a_hanging_target_is_unreachable_after_three_timeouts(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["hang"]
    assert outcome.code == 3, outcome.output
    assert outcome.requests_received == 3, "three timeouts in a row, then nothing more is sent"
    assert outcome.took < 3 * 0.5 + 30, "3 x --timeout, plus start-up and reports, side by side"
    report = outcome.report()  # the report set is written
    assert report["transport"]["stopped"] == "target unreachable"
    assert report["transport"]["timeouts"] == 3
    last = outcome.output.strip().splitlines()[-1]
    assert last == (
        "nf-conformance run: target unreachable: 3 requests in a row got no complete answer"
        f" from {report['target']['base_url']}: no response within the 0.5 s per-request"
        " timeout (3 times)"
    )


def test_an_unreachable_target_exits_3_with_its_report_set(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["unreachable"]
    assert outcome.code == 3, outcome.output
    assert "3 requests in a row got no complete answer" in outcome.output
    assert "refused" in outcome.output.lower()
    names = sorted(path.name for path in outcome.report_dir.iterdir())
    assert names == ["junit.xml", "report.html", "report.json", "report.md"]
    report = outcome.report()
    assert report["requests_sent"] == 3
    assert {c["status"] for c in report["checks"]} == {"skipped"}


def test_an_endless_target_costs_one_capped_walk(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["endless-fresh"]
    assert outcome.code == 1, outcome.output
    report = outcome.report()
    assert report["transport"]["stopped"] is None, "the budget is not what ends the run"
    assert outcome.requests_received < 150
    skipped = [c for c in report["checks"] if "not walked again" in (c.get("message") or "")]
    assert skipped, "the page walk points at the walk that found the listing endless"
    assert all("the listing is endless: NF-" in c["message"] for c in skipped)


def test_hostile_bytes_end_as_judged_failures_in_a_full_report_set(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["hostile-bytes"]
    assert outcome.code == 1, outcome.output
    names = sorted(path.name for path in outcome.report_dir.iterdir())
    assert names == ["junit.xml", "report.html", "report.json", "report.md"]
    report = outcome.report()
    assert report["summary"]["failed"] > 0
    assert report["transport"]["bodies_capped"] >= 1
    assert report["transport"]["stopped"] is None
