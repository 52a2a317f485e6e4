"""One conformance run: the checks, their outcomes, the report set.

``run(options)`` is what ``nf-conformance run`` does (where it goes: :mod:`conformance.options`);
:func:`execute` is the core without files or terminal output (tests and the bench call it with
their own app). Outcomes map as follows: Violation -> failed (MUST) or warned (SHOULD, MAY);
Advisory -> warned; NotRun, a spent budget, the deadline or a low rate-limit quota -> skipped
with the reason; any other exception -> failed with a one-line message. TargetUnreachable ends
the run (exit 3).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance import __version__
from conformance.catalog import CHECKS, Advisory, Check, Level, NotRun, Scope, Violation
from conformance.context import CheckContext
from conformance.options import ConfigError, RunOptions, Target, resolve_target
from conformance.results import CheckResult, RunResult, Status
from conformance.spec import FRAGMENT_PATH, fragment_sha256, requirements
from conformance.target import BudgetExhausted, TargetUnreachable, UnsafeRequest, open_client

TOOL_NAME = "nf-conformance"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


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
        matrix = ctx.received.coverage.as_dict()
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
        matrix=matrix,
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
