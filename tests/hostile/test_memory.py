"""Peak memory of a whole run against a target that sends huge bodies stays near a normal run's."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
import zstandard

from tests.hostile.servers import Conn, Handler, Loopback

pytestmark = pytest.mark.slow

# Measured in the child itself: ru_maxrss of RUSAGE_CHILDREN would mix every child of pytest.
PROGRAM = (
    "import resource, sys; from conformance.cli import main; code = main(sys.argv[1:]); "
    "sys.stderr.write('MAXRSS=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
    "sys.exit(code)"
)
TINY_VALUES = b'{"data": {"containers": [' + b"{}," * 3_200_000 + b'{}], "runId": "r1"}}'
BOMBS = [  # 200 MB of zeros each, in every coding the client offers
    ("gzip", gzip.compress(bytes(200_000_000))),
    ("br", brotli.compress(bytes(200_000_000), quality=5)),
    ("zstd", zstandard.compress(bytes(200_000_000))),
]


def huge(conn: Conn) -> None:
    """Ten megabytes everywhere: JSON of three million values, or a gzip, br or zstd bomb."""
    if conn.index % 2 == 0:
        conn.respond(200, TINY_VALUES)
    else:
        encoding, bomb = BOMBS[conn.index // 2 % len(BOMBS)]
        conn.respond(200, bomb, [("Content-Encoding", encoding)])


ONE_STRING = b'{"data": {"containers": [], "runId": "' + b"r" * 9_900_000 + b'"}}'


def one_huge_string(conn: Conn) -> None:
    """Ten megabytes in one JSON string: what schemathesis once copied for every response."""
    conn.respond(200, ONE_STRING)


def _peak_kib(args: list[str], report_dir: Path) -> tuple[int, str]:
    env = {**os.environ, "NORTHFLANK_API_TOKEN": "nf-test-token-0123456789"}
    env.pop("NORTHFLANK_API_BASE_URL", None)
    command = [sys.executable, "-c", PROGRAM, "run", "--report-dir", str(report_dir), "--quiet"]
    done = subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("MAXRSS=")]
    assert lines, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return int(lines[0].removeprefix("MAXRSS=")), done.stderr


@pytest.mark.parametrize("handler", [huge, one_huge_string], ids=["values-and-bombs", "one-string"])
def test_a_run_against_huge_bodies_stays_within_twice_a_normal_run(
    tmp_path: Path, handler: Handler
) -> None:
    normal, _ = _peak_kib(["--seed", "1"], tmp_path / "normal")
    with Loopback(handler, max_lifetime_s=300) as server:
        ids = ["--project-id", "demo", "--job-id", "nightly", "--rate", "500"]
        hostile, output = _peak_kib(["--base-url", server.url, *ids], tmp_path / "hostile")
        received = len(server.requests)
    assert received > 20, output[-2000:]
    assert (tmp_path / "hostile" / "report.json").exists()
    assert hostile < 2 * normal, f"peak {hostile} KiB against huge bodies, {normal} KiB normally"
