"""Measurements 1-3: one default ``nf-conformance run`` in-process and over HTTP, and the
anchor, plain ``schemathesis run`` on our spec against the same HTTP mock.

Every run is a child process measured on its own (``os.wait4``: wall, CPU, peak RSS), started
in a temporary directory so no report of ours is overwritten, with no Northflank variables in
its environment (a bench never reaches a live target).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from conformance.bench import servers
from conformance.bench.proc import run_measured
from conformance.bench.report import measured, not_measured
from conformance.bench.stats import ratio
from conformance.spec import FRAGMENT_PATH

RUN_TIMEOUT_S = 300.0
TOKEN_ENV = "NORTHFLANK_API_TOKEN"  # noqa: S105 - a variable name
RESTRICTED_ENV = "NF_CONFORMANCE_RESTRICTED_TOKEN"
_STRIPPED = re.compile(r"^(NORTHFLANK_|NF_)")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any Northflank or NF_* variable, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not _STRIPPED.match(key)}
    env.update(extra)
    return env


def run_help() -> str:
    done = subprocess.run(  # noqa: S603 - a fixed argv
        [servers.tool("nf-conformance"), "run", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=clean_env(),
    )
    return done.stdout if done.returncode == 0 else ""


def options(help_text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", help_text))


def find_report(directory: Path) -> dict[str, Any] | None:
    """report.json written under ``directory`` (reports/latest/ first), parsed."""
    candidates = [directory / "reports" / "latest" / "report.json"]
    candidates += sorted(directory.rglob("report.json"))
    for candidate in candidates:
        if candidate.is_file():
            loaded: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))
            return loaded
    return None


def _report_figures(found: dict[str, Any] | None) -> dict[str, Any]:
    if found is None:
        return {"requests_sent": None, "checks_run": None, "summary": None}
    checks = found.get("checks", [])
    return {
        "requests_sent": found.get("requests_sent"),
        "checks_run": len(checks),
        "summary": found.get("summary"),
    }


def _output_args(available: set[str], directory: Path) -> list[str]:
    for flag in ("--output", "--output-dir", "--report-dir", "--reports"):
        if flag in available:
            return [flag, str(directory / "reports" / "latest")]
    return []


def _run(argv: list[str], env: dict[str, str], what: str) -> tuple[dict[str, Any], Any]:
    with tempfile.TemporaryDirectory(prefix="nf-bench-") as tmp:
        directory = Path(tmp)
        argv = [*argv, *_output_args(options(run_help()), directory)]
        done = run_measured(argv, timeout_s=RUN_TIMEOUT_S, env=env, cwd=directory)
        found = find_report(directory)
    usage = done.usage
    if usage.timed_out:
        return not_measured(f"{what} did not finish within {RUN_TIMEOUT_S:g} s"), done
    if usage.exit_code not in (0, 1):
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return not_measured(f"{what} exited {usage.exit_code}: {' / '.join(tail)}"[:400]), done
    entry = {"status": "measured", **usage.to_dict(), **_report_figures(found)}
    if usage.exit_code == 1:
        entry["note"] = "exit 1: a required check failed against the mock (timings still valid)"
    if found is None:
        entry["note"] = "no report.json found: requests and checks unknown"
    return entry, done


def in_process() -> dict[str, Any]:
    """Measurement 1: ``nf-conformance run`` with no arguments (the built-in mock)."""
    entry, _ = _run([servers.tool("nf-conformance"), "run"], clean_env(), "the default run")
    return entry


def live_args(line: dict[str, Any], available: set[str]) -> list[str]:
    """The flags a live run needs, from the mock's JSON line, only those the runner has."""
    wanted = [
        ("--base-url", servers.base_url(line)),
        ("--project-id", line["project_id"]),
        ("--job-id", line["job_id"]),
        ("--team-id", line.get("team_id")),
    ]
    missing = [flag for flag, value in wanted[:3] if flag not in available]
    if missing:
        raise LookupError(f"nf-conformance run has no {', '.join(missing)}")
    args: list[str] = []
    for flag, value in wanted:
        if value and flag in available:
            args += [flag, str(value)]
    return args


def over_http() -> dict[str, Any]:
    """Measurement 2: the same run against the mock served on 127.0.0.1 (requests counted)."""
    available = options(run_help())
    with servers.counted_mock() as server:
        line = servers.info(server)
        try:
            args = live_args(line, available)
        except LookupError as error:
            return not_measured(str(error))
        env = clean_env(**{TOKEN_ENV: line["token"], RESTRICTED_ENV: line["restricted_token"]})
        entry, _ = _run([servers.tool("nf-conformance"), "run", *args], env, "the live run")
        counted = servers.counted_requests(servers.base_url(line))
    if measured(entry):
        entry["requests_counted"] = counted["requests"]
        entry["requests_by_method"] = counted["by_method"]
        entry["argv"] = ["nf-conformance", "run", *args]
    return entry


def examples_of_our_run(run: dict[str, Any]) -> int | None:
    """How many examples per operation our default run's property checks ask for."""
    del run
    try:
        from conformance.properties import schema as properties
    except ImportError:
        return None
    value = getattr(properties, "MAX_EXAMPLES", None)
    return value if isinstance(value, int) else None


def anchor(run: dict[str, Any]) -> dict[str, Any]:
    """Measurement 3: plain ``schemathesis run`` on our fragment, GET only, same examples."""
    examples = examples_of_our_run(run)
    if examples is None:
        return not_measured("the suite's examples per operation are not known (no properties)")
    with servers.counted_mock() as server:
        line = servers.info(server)
        url = servers.base_url(line)
        argv = [
            servers.tool("schemathesis"),
            "run",
            str(FRAGMENT_PATH),
            "--url",
            url,
            "--header",
            f"Authorization: Bearer {line['token']}",
            "--include-method",
            "GET",
            "--max-examples",
            str(examples),
            "--seed",
            "1",
            "--generation-database",
            "none",
            "--no-color",
        ]
        with tempfile.TemporaryDirectory(prefix="nf-bench-st-") as tmp:
            done = run_measured(argv, timeout_s=RUN_TIMEOUT_S, env=clean_env(), cwd=tmp)
        counted = servers.counted_requests(url)
    if done.usage.timed_out:
        return not_measured(f"schemathesis did not finish within {RUN_TIMEOUT_S:g} s")
    if done.usage.exit_code not in (0, 1):
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return not_measured(f"schemathesis exited {done.usage.exit_code}: {' / '.join(tail)}")
    shown = [
        arg if not arg.startswith("Authorization") else "Authorization: Bearer …" for arg in argv
    ]
    return {
        "status": "measured",
        **done.usage.to_dict(),
        "requests_counted": counted["requests"],
        "requests_by_method": counted["by_method"],
        "max_examples": examples,
        "argv": ["schemathesis", *shown[1:]],
        "note": "no config file, no path parameters set: the generated ids mostly miss (404)",
    }


def ratios(ours: dict[str, Any], http: dict[str, Any], st: dict[str, Any]) -> dict[str, Any]:
    def get(entry: dict[str, Any], key: str) -> Any:
        return entry.get(key) if measured(entry) else None

    http_requests = get(http, "requests_counted") or get(http, "requests_sent")
    return {
        "wall, over HTTP / in-process": ratio(get(http, "wall_s"), get(ours, "wall_s")),
        "CPU, over HTTP / in-process": ratio(get(http, "cpu_s"), get(ours, "cpu_s")),
        "wall, schemathesis anchor / ours over HTTP": ratio(get(st, "wall_s"), get(http, "wall_s")),
        "requests, schemathesis anchor / ours over HTTP": ratio(
            get(st, "requests_counted"), http_requests
        ),
    }
