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


def configure(parser: argparse.ArgumentParser) -> None:
    target = parser.add_argument_group("target (default: the built-in mock, in process)")
    target.add_argument("--base-url", metavar="URL", help="e.g. https://api.northflank.com")
    target.add_argument("--project-id", metavar="ID", help="the project of the job")
    target.add_argument("--job-id", metavar="ID", help="the job whose containers are listed")
    target.add_argument(
        "--run-id",
        metavar="ID",
        help="a run with several pages of containers (default: the newest concluded run)",
    )
    target.add_argument("--team-id", metavar="ID", help="enables the team-scoped route checks")
    run_group = parser.add_argument_group("run")
    run_group.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        metavar="DIR",
        help=f"where the report set goes (default: {DEFAULT_REPORT_DIR})",
    )
    run_group.add_argument(
        "--seed",
        type=_number(int, minimum=0, name="--seed"),
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
    limits.add_argument(
        "--max-requests",
        type=_number(int, minimum=1, name="--max-requests"),
        default=DEFAULT_MAX_REQUESTS,
        metavar="N",
        help=f"request budget for the whole run (default: {DEFAULT_MAX_REQUESTS})",
    )
    limits.add_argument(
        "--rate",
        type=_number(float, minimum=0.01, name="--rate"),
        metavar="PER_S",
        help=f"requests per second (default: {DEFAULT_LIVE_RATE:g} live, unpaced on the mock)",
    )
    limits.add_argument(
        "--timeout",
        type=_number(float, minimum=0.1, name="--timeout"),
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=f"per request, in seconds (default: {DEFAULT_TIMEOUT_S:g})",
    )
    limits.add_argument(
        "--deadline",
        type=_number(float, minimum=1, name="--deadline"),
        default=DEFAULT_DEADLINE_S,
        metavar="S",
        help=f"for the whole run, in seconds (default: {DEFAULT_DEADLINE_S:g})",
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
    return RunOptions(
        base_url=args.base_url,
        project_id=args.project_id,
        job_id=args.job_id,
        run_id=args.run_id,
        team_id=args.team_id,
        report_dir=args.report_dir,
        seed=args.seed,
        only=tuple(args.only),
        max_requests=args.max_requests,
        rate=args.rate,
        timeout=args.timeout,
        deadline=args.deadline,
        expected_failures=args.expected_failures,
        quiet=args.quiet,
        no_color=args.no_color,
        record=args.record,
        replay=args.replay,
        spec=args.spec,
    )


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
