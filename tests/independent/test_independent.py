"""The whole suite against a second, independently written server (tests/independent/server.py).

Every legitimate reading of the documentation must pass (no failed check: a choice the docs
leave open warns at most), and every realistic bug, each living on one code path only, must be
caught by a failed check. The server shares no code with the mock, so this is the closest the
suite's own tests come to a target it was not built against.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.mock.server import serve_in_thread
from conformance.options import Target
from conformance.results import RunResult
from conformance.runner import execute, select_checks
from conformance.target import TargetSettings
from tests.independent import server
from tests.independent.server import BUGS, RUNS, Choices

pytestmark = pytest.mark.slow

BIG_RUN = RUNS[2].id  # 137 containers: several pages at every page size

CONFORMANT = {
    "strict": Choices(),
    "lenient": Choices(bad_per_page="clamp", bad_page="clamp"),
    "keyset-oldest-first": Choices(cursor_style="keyset", order="oldest", unknown_run="empty"),
    "terse": Choices(
        ratelimit_headers=False,
        omit_empty_containers=True,
        runs_endpoint=False,
        default_per_page=20,
    ),
    "chatty": Choices(byoc_fields=True, error_extras=True, unknown_project=403),
    "forbidden-when-unauthenticated": Choices(unauthenticated=403),
}


def settings(run_id: str | None, **overrides: object) -> TargetSettings:
    values: dict[str, object] = {
        "base_url": None,
        "project_id": server.PROJECT,
        "job_id": server.JOB,
        "token": server.TOKEN,
        "restricted_token": server.RESTRICTED,
        "team_id": server.TEAM,
        "run_id": run_id,
        "max_requests": 300,
        "timeout_s": 10.0,
        "deadline_s": 600.0,
        "rate_per_s": None,
    }
    values.update(overrides)
    return TargetSettings(**values)  # type: ignore[arg-type]


@functools.cache
def run(choices: Choices, run_id: str | None = BIG_RUN) -> RunResult:
    target = Target(settings(run_id), server.create_app(choices))
    return execute(target, select_checks(), seed=1)


def failed(result: RunResult) -> list[str]:
    return [f"{c.id}: {c.message}" for c in result.checks if c.status == "failed"]


@pytest.mark.parametrize("name", sorted(CONFORMANT))
@pytest.mark.parametrize("run_id", [BIG_RUN, None], ids=["run-id", "no-run-id"])
def test_a_conformant_independent_server_passes(name: str, run_id: str | None) -> None:
    result = run(CONFORMANT[name], run_id)
    assert failed(result) == []
    assert result.requests_sent <= 150


# Bugs that break only a SHOULD: a page past the end repeating the last page's containers
# (hasNextPage false said no more results, and a client walking the pages stops there).
WARNED_ONLY = {"past-end-repeats-last-page": "NF-PAG-013"}


@pytest.mark.parametrize("bug", [bug for bug in BUGS if bug not in WARNED_ONLY])
def test_a_bug_on_one_code_path_is_caught(bug: str) -> None:
    result = run(Choices(bug=bug))
    assert failed(result), f"{bug} went unnoticed"


@pytest.mark.parametrize("bug", sorted(WARNED_ONLY))
def test_a_bug_against_a_should_warns(bug: str) -> None:
    result = run(Choices(bug=bug))
    assert failed(result) == []
    warned = {c.id for c in result.checks if c.status == "warned"}
    assert WARNED_ONLY[bug] in warned


def test_the_strict_server_over_http_through_the_cli(tmp_path: Path) -> None:
    """The same server on 127.0.0.1, the CLI as a pipeline runs it: exit 0, no token out."""
    with serve_in_thread(server.create_app(Choices())) as base_url:
        env = {
            **os.environ,
            "NORTHFLANK_API_TOKEN": server.TOKEN,
            "NF_CONFORMANCE_RESTRICTED_TOKEN": server.RESTRICTED,
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "conformance.cli",
                "run",
                "--base-url",
                base_url,
                "--project-id",
                server.PROJECT,
                "--job-id",
                server.JOB,
                "--team-id",
                server.TEAM,
                "--run-id",
                BIG_RUN,
                "--rate",
                "1000",
                "--seed",
                "1",
                "--quiet",
                "--no-color",
                "--report-dir",
                str(tmp_path),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["requests_sent"] <= 150
    written = done.stdout + done.stderr
    written += "".join(path.read_text() for path in tmp_path.iterdir() if path.is_file())
    assert server.TOKEN not in written
    assert server.RESTRICTED not in written
