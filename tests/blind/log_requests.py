# ruff: noqa: S108
"""Run the suite against one blind server and log every request the server answered.

python -m tests.blind.log_requests NAME [SUITE ARGS ...]
  -> /tmp/blind/log-NAME.txt, one "METHOD TARGET -> STATUS" line per request that reached
     ListingCore.answer (redirects, OPTIONS and hostile answers made before it are not logged)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.blind.servers import JOB, PROJECT, RESTRICTED, SERVERS, TOKEN, Server

ROOT = Path(__file__).resolve().parents[2]


def main(name: str, extra: list[str]) -> int:
    srv = Server(SERVERS[name])
    orig = srv.core.answer
    log: list[str] = []

    def answer(method: str, target: str, headers: dict[str, str]) -> Any:
        status, h, raw = orig(method, target, headers)
        log.append(f"{method} {target} -> {status}")
        return status, h, raw

    srv.core.answer = answer  # type: ignore[method-assign]
    srv.start()
    env = dict(
        os.environ,
        NORTHFLANK_API_TOKEN=TOKEN,
        NF_CONFORMANCE_RESTRICTED_TOKEN=RESTRICTED,
        PYTHONPATH=str(ROOT),
    )
    env.pop("NORTHFLANK_API_BASE_URL", None)
    args = [sys.executable, "-m", "conformance.cli", "run", "--base-url", srv.url]
    args += ["--project-id", PROJECT, "--job-id", JOB, "--report-dir", f"/tmp/blind/log-{name}"]
    args += ["--rate", "200", "--seed", "1", "--no-color", "--quiet", *extra]
    p = subprocess.run(args, env=env, capture_output=True, text=True, cwd=str(ROOT), check=False)
    srv.stop()
    Path(f"/tmp/blind/log-{name}.txt").write_text("\n".join(log) + "\n")
    print(f"exit {p.returncode}, {len(log)} requests logged to /tmp/blind/log-{name}.txt")
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
