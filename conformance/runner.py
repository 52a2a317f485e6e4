"""One conformance run: settings from options, the checks, their outcomes, the report set.

``run(options)`` is what ``nf-conformance run`` does; :func:`execute` is the core without files
or terminal output (tests and the bench call it with their own app). Outcomes map as follows:
Violation -> failed (MUST) or warned (SHOULD, MAY); Advisory -> warned; NotRun, a spent budget,
the deadline or a low rate-limit quota -> skipped with the reason; any other exception -> failed
with a one-line message. TargetUnreachable ends the run (exit 3).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance import __version__
from conformance.catalog import CHECKS, Advisory, Check, Level, NotRun, Scope, Violation
from conformance.context import CheckContext
from conformance.results import CheckResult, RunResult, Status
from conformance.spec import FRAGMENT_PATH, fragment_sha256, requirements
from conformance.target import (
    BudgetExhausted,
    TargetSettings,
    TargetUnreachable,
    UnsafeRequest,
    open_client,
)

if TYPE_CHECKING:
    from starlette.types import ASGIApp

TOOL_NAME = "nf-conformance"
TOKEN_ENV = "NORTHFLANK_API_TOKEN"  # noqa: S105 - the name of a variable, not a token
RESTRICTED_TOKEN_ENV = "NF_CONFORMANCE_RESTRICTED_TOKEN"  # noqa: S105 - likewise
BASE_URL_ENV = "NORTHFLANK_API_BASE_URL"
DEFAULT_REPORT_DIR = Path("reports/latest")
DEFAULT_MAX_REQUESTS = 300
DEFAULT_LIVE_RATE = 5.0  # requests per second against a live target
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


class ConfigError(Exception):
    """The run cannot start: the message says what is missing and how to supply it (exit 2)."""


@dataclass(frozen=True)
class RunOptions:
    """What ``nf-conformance run`` was asked to do (tokens never: they come from the env)."""

    base_url: str | None = None
    project_id: str | None = None
    job_id: str | None = None
    run_id: str | None = None
    team_id: str | None = None
    report_dir: Path = DEFAULT_REPORT_DIR
    seed: int | None = None
    only: tuple[str, ...] = ()
    max_requests: int = DEFAULT_MAX_REQUESTS
    rate: float | None = None  # None: no pacing on the mock, DEFAULT_LIVE_RATE live
    timeout: float = 10.0
    deadline: float = 600.0
    expected_failures: Path | None = None
    quiet: bool = False
    no_color: bool = False


@dataclass
class Target:
    """Where a run goes: the settings, and the app when it is the in-process mock."""

    settings: TargetSettings
    app: ASGIApp | None = field(default=None, repr=False)


# --- checks ------------------------------------------------------------------------------------


def load_checks() -> dict[str, Check]:
    """Import every module that registers checks; return the registry."""
    import conformance.checks  # registers the hand-written checks
    import conformance.properties  # noqa: F401 - registers the property checks

    return CHECKS


def _closest(wanted: str, registry: Mapping[str, Check]) -> str | None:
    """NF-PAG-03 -> NF-PAG-003 (a dropped zero), else the most similar registered ID."""
    if match := re.fullmatch(r"(NF-[A-Z]+-)(\d{1,2})", wanted):
        padded = match.group(1) + match.group(2).zfill(3)
        if padded in registry:
            return padded
    close = difflib.get_close_matches(wanted, sorted(registry), n=1)
    return close[0] if close else None


def select_checks(only: Sequence[str] = ()) -> list[Check]:
    """The checks to run, by ID; an unknown ID is a ConfigError with the closest match."""
    registry = load_checks()
    if not only:
        return sorted(registry.values(), key=lambda c: c.id)
    chosen: list[Check] = []
    for wanted in only:
        found = registry.get(wanted.strip().upper())
        if found is None:
            close = _closest(wanted.strip().upper(), registry)
            hint = f" Did you mean {close!r}?" if close else ""
            raise ConfigError(
                f"Unknown check {wanted!r}.{hint} Every check ID is in the README's check table."
            )
        if found not in chosen:
            chosen.append(found)
    return sorted(chosen, key=lambda c: c.id)


# --- target ------------------------------------------------------------------------------------


def _multi_page_run(runs: Sequence[Any]) -> str:
    """The mock run a walk spans several pages of: the largest run that is not the latest."""
    older = list(runs[1:]) or list(runs)
    return str(max(older, key=lambda run: run.container_count).id)


def mock_target(options: RunOptions, *, faults: Iterable[str] = (), **app_options: Any) -> Target:
    """The built-in mock, in process, with its own ids and tokens (options may override ids)."""
    from conformance.mock.app import create_app
    from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture

    fixture = app_options.pop("fixture", None) or Fixture.default()
    job_id = options.job_id or fixture.job_id
    job = fixture.job(job_id)
    run_id = options.run_id or (_multi_page_run(job.runs) if job else None)
    settings = TargetSettings(
        base_url=None,
        project_id=options.project_id or fixture.project_id,
        job_id=job_id,
        token=MOCK_TOKEN,
        restricted_token=MOCK_RESTRICTED_TOKEN,
        team_id=options.team_id or fixture.team_id,
        run_id=run_id,
        max_requests=options.max_requests,
        timeout_s=options.timeout,
        deadline_s=options.deadline,
        rate_per_s=options.rate,
    )
    return Target(settings, create_app(fixture, tuple(faults), **app_options))


def live_target(options: RunOptions, env: Mapping[str, str]) -> Target:
    """A live URL; ids from the flags, tokens from the environment only."""
    base_url = options.base_url or env.get(BASE_URL_ENV) or ""
    token = env.get(TOKEN_ENV, "").strip()
    missing = []
    if not token:
        missing.append(
            f"set the environment variable {TOKEN_ENV} to a token with the job's "
            "'View Instance Logs' permission (never a flag: flags land in shell history)"
        )
    if not options.project_id:
        missing.append("pass --project-id ID (the project of the job to check)")
    if not options.job_id:
        missing.append("pass --job-id ID (the job whose containers are listed)")
    if missing:
        raise ConfigError(f"A run against {base_url} needs more: " + "; ".join(missing) + ".")
    restricted = env.get(RESTRICTED_TOKEN_ENV, "").strip() or None
    settings = TargetSettings(
        base_url=base_url.rstrip("/"),
        project_id=options.project_id or "",
        job_id=options.job_id or "",
        token=token,
        restricted_token=restricted,
        team_id=options.team_id,
        run_id=options.run_id,
        max_requests=options.max_requests,
        timeout_s=options.timeout,
        deadline_s=options.deadline,
        rate_per_s=options.rate if options.rate is not None else DEFAULT_LIVE_RATE,
    )
    return Target(settings)


def resolve_target(options: RunOptions, env: Mapping[str, str] | None = None) -> Target:
    env = os.environ if env is None else env
    if options.base_url or env.get(BASE_URL_ENV):
        return live_target(options, env)
    return mock_target(options)


# --- running -------------------------------------------------------------------------------


def _source(check: Check) -> list[str]:
    catalog = requirements()
    found = {catalog[r].source.value for r in check.requirements if r in catalog}
    return sorted(found)


def _evidence(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)]


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def run_check(check: Check, ctx: CheckContext) -> CheckResult:
    """Run one check and turn whatever it raised into a result; never raises but Unreachable."""
    result = CheckResult(
        id=check.id,
        title=check.title,
        requirements=list(check.requirements),
        level=check.level.value,
        source=_source(check),
        status=Status.PASSED,
    )
    try:
        check.func(ctx)
    except Violation as violation:
        result.status = Status.FAILED if check.level is Level.MUST else Status.WARNED
        result.message = ctx.client.redact(f"{violation.received} (expected {violation.expected})")
        result.expected = ctx.client.redact(violation.expected)
        result.received = ctx.client.redact(violation.received)
        result.evidence = _evidence(violation.evidence)
    except Advisory as advisory:
        result.status = Status.WARNED
        result.message = ctx.client.redact(advisory.message)
        result.evidence = _evidence(advisory.evidence)
    except NotRun as not_run:
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(not_run.reason)
    except BudgetExhausted as spent:  # also QuotaLow and DeadlineExceeded
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(f"not run: {str(spent) or spent.reason}")
    except TargetUnreachable:
        raise
    except UnsafeRequest as unsafe:
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(f"not run: {unsafe}")
    except Exception as error:  # a bug in a check, or a target answer nothing foresaw
        result.status = Status.FAILED
        result.message = ctx.client.redact(f"the check itself failed: {_one_line(error)}")
    return result


ProgressHook = Callable[[Check, CheckResult | None, int], None]


def execute(
    target: Target,
    checks: Sequence[Check],
    *,
    seed: int = 0,
    progress: ProgressHook | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> RunResult:
    """Run ``checks`` against ``target``: run-scope checks, then every response-scope check."""
    started_at = dt.datetime.now(dt.UTC)
    started = time.monotonic()
    ordered = [c for c in checks if c.scope is Scope.RUN]
    ordered += [c for c in checks if c.scope is Scope.RESPONSES]
    results: list[CheckResult] = []
    with open_client(target.settings, target.app, **(client_options or {})) as client:
        ctx = CheckContext(client=client, seed=seed)
        baseline_done = False
        for check in ordered:
            if check.scope is Scope.RESPONSES and not baseline_done:
                baseline_done = True
                _baseline(ctx)
            if progress:
                progress(check, None, client.requests_sent)
            result = run_check(check, ctx)
            results.append(result)
            if progress:
                progress(check, result, client.requests_sent)
        requests_sent, stats = client.requests_sent, dict(client.stats)
    settings = target.settings
    return RunResult(
        tool={"name": TOOL_NAME, "version": __version__},
        spec={"path": _spec_path(), "sha256": fragment_sha256()},
        target={
            "base_url": settings.base_url,
            "project_id": settings.project_id,
            "job_id": settings.job_id,
            "run_id": settings.run_id,
            "team_id": settings.team_id,
        },
        seed=seed,
        started_at=started_at.isoformat(timespec="seconds"),
        duration_s=time.monotonic() - started,
        requests_sent=requests_sent,
        checks=results,
        transport=stats,
    )


def _baseline(ctx: CheckContext) -> None:
    """Make sure response checks have a listing and error responses to judge."""
    with contextlib.suppress(NotRun, BudgetExhausted, UnsafeRequest):
        ctx.baseline()


def _spec_path() -> str:
    try:
        return str(FRAGMENT_PATH.relative_to(Path.cwd()))
    except ValueError:
        return f"spec/{FRAGMENT_PATH.name}"


@dataclass
class Outcome:
    """What ``run`` did: the result, the report files, and the exit code."""

    result: RunResult
    report: dict[str, Any]
    paths: dict[str, Path]
    exit_code: int


def run(
    options: RunOptions,
    *,
    env: Mapping[str, str] | None = None,
    target: Target | None = None,
) -> Outcome:
    """The whole of ``nf-conformance run``: raises ConfigError (2) or TargetUnreachable (3)."""
    from conformance.report import load_report, write_reports
    from conformance.report.expected import ExpectedFailuresError, load_expected_failures
    from conformance.report.terminal import Progress, make_console, print_summary
    from conformance.report.view import exit_code

    checks = select_checks(options.only)
    expected = None
    if options.expected_failures is not None:
        try:
            expected = load_expected_failures(options.expected_failures)
        except ExpectedFailuresError as error:
            raise ConfigError(str(error)) from None
    try:
        target = target or resolve_target(options, env)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    console = make_console(no_color=options.no_color)
    with Progress(total=len(checks), console=console, quiet=options.quiet) as bar:

        def progress(check: Check, result: CheckResult | None, sent: int) -> None:
            if result is None:
                bar.start(check.id, check.title)
            else:
                bar.finish(result, sent)

        try:
            result = execute(target, checks, seed=seed, progress=progress)
        except ValueError as error:  # open_client: an unusable base URL
            raise ConfigError(str(error)) from None
    paths = write_reports(result, options.report_dir, expected_failures=expected)
    report = dict(load_report(paths["json"]))
    print_summary(report, console, quiet=options.quiet, paths=paths)
    return Outcome(result, report, paths, exit_code(report))
