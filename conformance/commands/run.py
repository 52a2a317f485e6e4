"""Check a target against every requirement of spec/requirements.yaml and write the report set.

Without --base-url (or NORTHFLANK_API_BASE_URL) the run goes to the built-in mock, in process:
no network, no account. Tokens come from the environment only: NORTHFLANK_API_TOKEN (with the
job's View Instance Logs permission) and, optionally, NF_CONFORMANCE_RESTRICTED_TOKEN (a valid
token without it, for the 403 checks). --record x.har keeps every exchange as HAR 1.2;
--replay x.har runs offline against it, no token needed (with --spec FRAGMENT.yaml: judged
against another version of the fragment). Exit codes: 0 every required check passed, 1 a required
check failed, 2 usage or configuration error (an unwritable --report-dir included: it is checked
before the first request), 3 the target stopped answering (3 attempts in a row without a complete
answer; the report set is still written, the checks left skipped).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

from conformance.exit_codes import EXIT_UNREACHABLE, EXIT_USAGE
from conformance.har import HarError
from conformance.options import (
    DEFAULT_LIVE_RATE,
    DEFAULT_REPORT_DIR,
    ConfigError,
    RunOptions,
)
from conformance.report.jsonfile import ReportError
from conformance.runner import run
from conformance.target import DEFAULT_DEADLINE_S, DEFAULT_MAX_REQUESTS, DEFAULT_TIMEOUT_S


def _number(
    kind: type[int] | type[float], *, minimum: float, name: str
) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum:g}, got {text!r}")
        return value

    return parse


def _add_number(
    group: argparse._ArgumentGroup,
    flag: str,
    kind: type[int] | type[float],
    minimum: float,
    *,
    metavar: str,
    help: str,
    default: float | None = None,
) -> None:
    """An option that takes a number of at least ``minimum``; a bad value names the flag."""
    parse = _number(kind, minimum=minimum, name=flag)
    group.add_argument(flag, type=parse, default=default, metavar=metavar, help=help)


def configure(parser: argparse.ArgumentParser) -> None:
    target = parser.add_argument_group("target (default: the built-in mock, in process)")
    target.add_argument("--base-url", metavar="URL", help="e.g. https://api.northflank.com")
    for flag, what in (
        ("--project-id", "the project of the job"),
        ("--job-id", "the job whose containers are listed"),
        ("--run-id", "a run with several pages of containers (default: the newest concluded run)"),
        ("--team-id", "enables the team-scoped route checks"),
    ):
        target.add_argument(flag, metavar="ID", help=what)
    run_group = parser.add_argument_group("run")
    run_group.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        metavar="DIR",
        help=f"where the report set goes (default: {DEFAULT_REPORT_DIR})",
    )
    _add_number(
        run_group,
        "--seed",
        int,
        0,
        metavar="N",
        help="makes generated requests repeatable (default: random, printed in the report)",
    )
    run_group.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="CHECK-ID",
        help="run only these checks, e.g. --only NF-PAG-004 NF-RUN-001",
    )
    run_group.add_argument(
        "--expected-failures",
        type=Path,
        metavar="PATH",
        help="expected-failures.yaml: known failures that do not fail the run",
    )
    limits = parser.add_argument_group("limits (what the run may ask of the target)")
    rate = f"{DEFAULT_LIVE_RATE:g} live, unpaced on the mock"
    for flag, kind, minimum, default, metavar, what in (
        ("--max-requests", int, 1, DEFAULT_MAX_REQUESTS, "N", "request budget for the whole run"),
        ("--rate", float, 0.01, None, "PER_S", f"requests per second (default: {rate})"),
        ("--timeout", float, 0.1, DEFAULT_TIMEOUT_S, "S", "per request, in seconds"),
        ("--deadline", float, 1, DEFAULT_DEADLINE_S, "S", "for the whole run, in seconds"),
    ):
        shown = "" if default is None else f" (default: {default:g})"
        _add_number(
            limits, flag, kind, minimum, metavar=metavar, default=default, help=what + shown
        )
    evidence = parser.add_argument_group(
        "recording and replay (HAR 1.2: devtools, proxies and HAR viewers read it)"
    )
    evidence.add_argument(
        "--record",
        type=Path,
        metavar="PATH.har",
        help="write every exchange of the run there (tokens redacted)",
    )
    evidence.add_argument(
        "--replay",
        type=Path,
        metavar="PATH.har",
        help="answer every request from a recording: no network, no token; its seed and ids "
        "are the defaults",
    )
    evidence.add_argument(
        "--spec",
        type=Path,
        metavar="FRAGMENT.yaml",
        help="judge against this OpenAPI fragment instead of spec/'s (e.g. an edited copy)",
    )
    output = parser.add_argument_group("output")
    output.add_argument("--quiet", action="store_true", help="only failures and the verdict")
    output.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR)")


def options_from(args: argparse.Namespace) -> RunOptions:
    """The options of the run: every field of :class:`RunOptions` is the option of its name."""
    values = {field.name: getattr(args, field.name) for field in dataclasses.fields(RunOptions)}
    return RunOptions(**{**values, "only": tuple(values["only"])})


def hypothesis_cache_dir(env: Mapping[str, str]) -> Path:
    """Where hypothesis keeps its caches for the CLI: a user cache, not the caller's directory.

    Left to itself hypothesis writes ``.hypothesis/`` into the working directory and rebuilds its
    Unicode tables there in every new directory (about 2 s and 200 MiB on a CI checkout).
    """
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nf-conformance" / "hypothesis"


def main(args: argparse.Namespace) -> int:
    set_hypothesis_home_dir(hypothesis_cache_dir(os.environ))
    try:
        outcome = run(options_from(args))
    except ConfigError as error:
        print(f"nf-conformance run: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ReportError) as error:
        print(f"nf-conformance run: cannot write the report: {error}", file=sys.stderr)
        return EXIT_USAGE
    except HarError as error:
        print(f"nf-conformance run: --record: {error}", file=sys.stderr)
        return EXIT_USAGE
    if outcome.exit_code == EXIT_UNREACHABLE:
        print(f"nf-conformance run: {outcome.stopped}", file=sys.stderr)
    return outcome.exit_code
