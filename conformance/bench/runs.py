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
        "skipped_checks": [
            {"id": check.get("id"), "message": check.get("message", "")}
            for check in checks
            if check.get("status") == "skipped"
        ],
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


IMPORT_ONLY = (
    "import conformance.cli, conformance.mock.app, conformance.report, conformance.runner; "
    "conformance.runner.load_checks()"
)


def imports_only() -> dict[str, Any]:
    """What importing the suite costs before any check runs: a floor under every run's figures."""
    import sys

    done = run_measured([sys.executable, "-c", IMPORT_ONLY], timeout_s=120, env=clean_env())
    if done.usage.exit_code != 0:
        tail = done.stderr.strip().splitlines()[-1:]
        return not_measured(f"importing the suite failed: {' / '.join(tail)}")
    return {"status": "measured", **done.usage.to_dict(), "code": IMPORT_ONLY}


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


UNPACED_RATE = "1000"  # requests per second: far above what the mock answers, so no pacing


def over_http(
    extra: tuple[str, ...] = (), *, containers: int | None = None, walk_latest: bool = False
) -> dict[str, Any]:
    """Measurement 2: the same run against the mock on 127.0.0.1 (requests counted there).

    ``extra`` are more flags, e.g. ``("--rate", UNPACED_RATE)`` to take the live pacing away
    and see the transport's own cost; ``containers`` sizes the mock's latest run, and
    ``walk_latest`` passes its id as ``--run-id`` (the suite otherwise walks the newest
    concluded run, which the sizing leaves small).
    """
    available = options(run_help())
    with servers.counted_mock(containers) as server:
        line = servers.info(server)
        try:
            args = [*live_args(line, available), *extra]
            if walk_latest:
                args += ["--run-id", line["run_id"]]
        except LookupError as error:
            return not_measured(str(error))
        if extra and extra[0] not in available:
            return not_measured(f"nf-conformance run has no {extra[0]}")
        env = clean_env(**{TOKEN_ENV: line["token"], RESTRICTED_ENV: line["restricted_token"]})
        entry, _ = _run([servers.tool("nf-conformance"), "run", *args], env, "the live run")
        counted = servers.counted_requests(servers.base_url(line))
    if measured(entry):
        entry["requests_counted"] = counted["requests"]
        entry["requests_by_method"] = counted["by_method"]
        entry["responses_by_status"] = counted.get("by_status")
        entry["argv"] = ["nf-conformance", "run", *args]
    return entry


def over_http_unpaced() -> dict[str, Any]:
    return over_http(("--rate", UNPACED_RATE))


def examples_per_mode() -> int | None:
    """How many hypothesis examples per mode our default run's property checks generate."""
    try:
        from conformance.properties.run import Options
    except ImportError:
        return None
    value = getattr(Options(), "fuzz_examples", None)
    return value if isinstance(value, int) else None


def anchor() -> dict[str, Any]:
    """Measurement 3: plain ``schemathesis run`` on our fragment, GET only, same examples."""
    examples = examples_per_mode()
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
        "responses_by_status": counted.get("by_status"),
        "max_examples": examples,
        "argv": ["schemathesis", *shown[1:]],
        "note": (
            "plain: no config file, so path parameters are generated, not the mock's ids; "
            "it covers all 3 GET operations of the fragment (both container routes and runs)"
        ),
    }


def median_entry(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The repeat with the median wall time (the lower one of an even count), naming them all."""
    done = [entry for entry in entries if measured(entry)]
    if not done:
        return entries[0]
    ordered = sorted(done, key=lambda entry: entry["wall_s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["repeats_wall_s"] = [entry["wall_s"] for entry in done]
    if len(done) < len(entries):
        failed = next(entry for entry in entries if not measured(entry))
        chosen["note"] = f"{len(entries) - len(done)} repeat(s) failed: {failed['reason']}"
    return chosen


def ratios(m: dict[str, Any]) -> dict[str, Any]:
    """The runs side by side: transport cost, pacing cost, and ours against the anchor."""

    def get(name: str, key: str) -> Any:
        entry = m.get(name) or {}
        return entry.get(key) if measured(entry) else None

    def requests(name: str) -> Any:
        counted = get(name, "requests_counted")
        return counted if counted is not None else get(name, "requests_sent")

    ours, paced, unpaced = "run_in_process", "run_http", "run_http_unpaced"
    return {
        "wall, over HTTP unpaced / in-process": ratio(get(unpaced, "wall_s"), get(ours, "wall_s")),
        "CPU, over HTTP unpaced / in-process": ratio(get(unpaced, "cpu_s"), get(ours, "cpu_s")),
        "wall, over HTTP at the default live rate / unpaced": ratio(
            get(paced, "wall_s"), get(unpaced, "wall_s")
        ),
        "wall, schemathesis anchor / ours over HTTP unpaced": ratio(
            get("anchor", "wall_s"), get(unpaced, "wall_s")
        ),
        "requests, schemathesis anchor / ours over HTTP": ratio(
            requests("anchor"), requests(paced)
        ),
    }
