"""One conformance run: the checks, their outcomes, the report set.

``run(options)`` is what ``nf-conformance run`` does (where it goes: :mod:`conformance.options`);
:func:`execute` is the core without files or terminal output (tests and the bench call it with
their own app). Outcomes map as follows: Violation -> failed (MUST) or warned (SHOULD, MAY);
Advisory -> warned; NotRun, a spent budget, the deadline or a low rate-limit quota -> skipped
with the reason; any other exception -> failed with a one-line message. A target that stops
answering (TargetUnreachable, a BudgetExhausted) skips what is left like a spent budget; the
report set is still written and the run exits 3.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import random
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance import __version__
from conformance.catalog import (
    CATALOG_PATH,
    CHECKS,
    RETIRED,
    Advisory,
    CatalogError,
    Check,
    Level,
    NotRun,
    Scope,
    Violation,
    unclaimed,
)
from conformance.context import CheckContext
from conformance.exit_codes import EXIT_UNREACHABLE
from conformance.options import ConfigError, RunOptions, Target, resolve_target
from conformance.probes import plan
from conformance.results import CheckResult, RunResult, Status
from conformance.spec import (
    FragmentError,
    fragment_path,
    fragment_sha256,
    requirements,
    use_fragment,
)
from conformance.target import (
    BudgetExhausted,
    Redactor,
    TargetClient,
    TargetUnreachable,
    UnsafeRequest,
    open_client,
)

_PROBE_NAME = ".nf-conformance-write-test"

TOOL_NAME = "nf-conformance"


# --- checks ------------------------------------------------------------------------------------


def load_checks() -> dict[str, Check]:
    """Import every module that registers checks; return the registry. An entry of
    catalog.yaml that no function claims is a CatalogError naming it."""
    import conformance.checks  # registers the hand-written checks
    import conformance.properties  # noqa: F401 - registers the property checks

    if missing := unclaimed():
        raise CatalogError(
            f"{CATALOG_PATH.name} has entries no @check claims: {', '.join(missing)}"
        )
    return CHECKS


def _closest(wanted: str, registry: Mapping[str, Check]) -> str | None:
    """NF-PAG-03 -> NF-PAG-003 (a dropped zero), else the most similar registered ID."""
    if match := re.fullmatch(r"(NF-[A-Z]+-)(\d{1,2})", wanted):
        padded = match.group(1) + match.group(2).zfill(3)
        if padded in registry:
            return padded
    close = difflib.get_close_matches(wanted, sorted(registry), n=1)
    return close[0] if close else None


def select_checks(
    only: Sequence[str] = (), *, warn: Callable[[str], None] | None = None
) -> list[Check]:
    """The checks to run, by ID; an unknown ID is a ConfigError with the closest match. A retired
    ID selects its successors, and ``warn`` is told so (default: a line on stderr)."""
    registry = load_checks()
    if not only:
        return sorted(registry.values(), key=lambda c: c.id)
    chosen: list[Check] = []
    for wanted in only:
        ids = [wanted.strip().upper()]
        if ids[0] in RETIRED:
            (warn or _warn)(RETIRED[ids[0]].note())
            ids = list(RETIRED[ids[0]].replaced_by)
        for check_id in ids:
            found = registry.get(check_id)
            if found is None:
                close = _closest(check_id, registry)
                hint = f" Did you mean {close!r}?" if close else ""
                raise ConfigError(
                    f"Unknown check {wanted!r}.{hint} Every check ID is in the README's check "
                    "table."
                )
            if found not in chosen:
                chosen.append(found)
    return sorted(chosen, key=lambda c: c.id)


def _warn(note: str) -> None:
    print(f"{TOOL_NAME}: warning: {note}", file=sys.stderr)


# --- running -------------------------------------------------------------------------------


def _source(check: Check) -> list[str]:
    catalog = requirements()
    found = {catalog[r].source.value for r in check.requirements if r in catalog}
    return sorted(found)


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def run_check(check: Check, ctx: CheckContext) -> CheckResult:
    """Run one check and turn whatever it raised into a result; never raises.

    Everything a result holds is redacted here, where a check's findings become report values.
    """
    result = CheckResult(
        id=check.id,
        title=check.title,
        requirements=list(check.requirements),
        level=check.level.value,
        source=_source(check),
        status=Status.PASSED,
    )
    try:
        check.conclude(ctx)
    except Violation as violation:
        result.status = Status.FAILED if check.level is Level.MUST else Status.WARNED
        result.message = ctx.client.redact(f"{violation.received} (expected {violation.expected})")
        result.expected = ctx.client.redact(violation.expected)
        result.received = ctx.client.redact(violation.received)
        result.evidence = [ctx.client.redact_value(item) for item in violation.evidence]
    except Advisory as advisory:
        result.status = Status.WARNED
        result.message = ctx.client.redact(advisory.message)
        result.evidence = [ctx.client.redact_value(item) for item in advisory.evidence]
    except NotRun as not_run:
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(not_run.reason)
    except BudgetExhausted as spent:  # also QuotaLow and DeadlineExceeded
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(f"not run: {str(spent) or spent.reason}")
    except UnsafeRequest as unsafe:
        result.status = Status.SKIPPED
        result.message = ctx.client.redact(f"not run: {unsafe}")
    except Exception as error:  # a bug in a check, or a target answer nothing foresaw
        result.status = Status.FAILED
        result.message = ctx.client.redact(f"the check itself failed: {_one_line(error)}")
    return result


ProgressHook = Callable[[Check, CheckResult | None, int], None]
WatchHook = Callable[[Callable[[], tuple[str, float] | None]], None]  # gets client.outstanding


def execute(
    target: Target,
    checks: Sequence[Check],
    *,
    seed: int = 0,
    progress: ProgressHook | None = None,
    client_options: Mapping[str, Any] | None = None,
    on_client: Callable[[TargetClient], None] | None = None,
    watch: WatchHook | None = None,
) -> RunResult:
    """Run ``checks`` against ``target``: run-scope checks, then every response-scope check.

    ``on_client`` sees the run's client before the first request (``--record`` attaches there).
    ``watch`` is handed the client's ``outstanding`` (the request in flight longest, and for how
    long) as soon as the client is open, so a terminal can say what the run is waiting for.
    """
    started_at = dt.datetime.now(dt.UTC)
    started = time.monotonic()
    ordered = [c for c in checks if c.scope is Scope.RUN]
    ordered += [c for c in checks if c.scope is Scope.RESPONSES]
    results: list[CheckResult] = []
    replay = target.recording.transport if target.recording is not None else None
    options = dict(client_options or {})
    if replay is not None:
        options.setdefault("sleep", lambda seconds: None)  # recorded waits are not waited again
    with open_client(target.settings, target.app, replay=replay, **options) as client:
        if on_client is not None:
            on_client(client)
        if watch is not None:
            watch(client.outstanding)
        ctx = CheckContext(client=client, seed=seed)
        baseline_done = False
        for check in ordered:
            if check.scope is Scope.RESPONSES and not baseline_done:
                baseline_done = True
                _baseline(ctx)
            if progress:
                progress(check, None, client.requests_sent)
            ctx.check_id = check.id
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
    """Make sure response checks have a listing and error responses to judge.

    Nothing it meets stops the run: the checks that need these requests ask again (memoised)
    and report what went wrong themselves.
    """
    with contextlib.suppress(Exception):
        ctx.baseline()
        plan(ctx)  # every reachable cell of the path matrix (conformance/probes.py)


def _spec_path() -> str:
    path = fragment_path()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return f"spec/{path.name}" if path.parent.name in ("spec", "_spec") else str(path)


@dataclass
class Outcome:
    """What ``run`` did: the result, the report files, and the exit code."""

    result: RunResult
    report: dict[str, Any]
    paths: dict[str, Path]
    exit_code: int
    stopped: str | None = None  # why the target was found unreachable (exit code 3)


def run(
    options: RunOptions,
    *,
    env: Mapping[str, str] | None = None,
    target: Target | None = None,
) -> Outcome:
    """The whole of ``nf-conformance run``: raises ConfigError (2); a target that stopped
    answering still gets its report set, and the Outcome's exit code 3."""
    from conformance.har import HarRecorder, finish_recording, finish_replay
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
    recorded_seed = target.recording.seed if target.recording is not None else None
    seed = options.seed if options.seed is not None else recorded_seed
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    if options.record is not None and options.record.is_dir():
        raise ConfigError(f"--record {options.record} is a directory; give a file, e.g. run.har")
    recorder = HarRecorder(options.record) if options.record is not None else None
    ensure_writable(options.report_dir)  # before the first request: no budget spent in vain
    console = make_console(no_color=options.no_color)
    with Progress(total=len(checks), console=console, quiet=options.quiet) as bar:

        def progress(check: Check, result: CheckResult | None, sent: int) -> None:
            if result is None:
                bar.start(check.id, check.title)
            else:
                bar.finish(result, sent)

        try:
            with use_fragment(options.spec):
                result = execute(
                    target,
                    checks,
                    seed=seed,
                    progress=progress,
                    on_client=recorder.attach if recorder is not None else None,
                    watch=bar.watch,
                )
        except FragmentError as error:
            raise ConfigError(str(error)) from None
        except ValueError as error:  # open_client: an unusable base URL
            raise ConfigError(str(error)) from None
    if target.recording is not None:
        finish_replay(result, target.recording)
    if recorder is not None:
        finish_recording(result, recorder)
    tokens = Redactor([target.settings.token, target.settings.restricted_token])
    paths = write_reports(
        result, options.report_dir, expected_failures=expected, redact=tokens.redact_value
    )
    report = dict(load_report(paths["json"]))
    print_summary(report, console, quiet=options.quiet, paths=paths)
    if result.transport.get("stopped") == TargetUnreachable.reason:
        return Outcome(result, report, paths, EXIT_UNREACHABLE, _unreachable(result))
    return Outcome(result, report, paths, exit_code(report))


def _unreachable(result: RunResult) -> str:
    """The TargetUnreachable message, as the checks it skipped carry it."""
    marker = f"{TargetUnreachable.reason}: "
    for check in result.checks:
        message = check.message or ""
        if marker in message:
            return message[message.index(marker) :]
    return TargetUnreachable.reason


def ensure_writable(report_dir: Path) -> None:
    """Write (and remove) a file in ``report_dir``, or raise ConfigError saying why not.

    Directories it had to create for that are removed again: a run that stops on a usage error
    later leaves nothing behind; the report writer creates them for real.
    """
    created: list[Path] = []
    try:
        for directory in reversed([report_dir, *report_dir.parents]):
            if not directory.exists():
                directory.mkdir()
                created.append(directory)
        probe = report_dir / _PROBE_NAME
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(
            f"cannot write the report set to {str(report_dir)!r}: {reason}."
            " Nothing was sent; choose a writable directory with --report-dir"
        ) from None
    finally:
        for directory in reversed(created):
            with contextlib.suppress(OSError):
                directory.rmdir()
