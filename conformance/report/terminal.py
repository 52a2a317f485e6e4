"""What a run prints in the terminal: progress on stderr while it runs, a summary at the end.

The runner's side of it::

    console = make_console(no_color=args.no_color)          # stderr; colour off when not a TTY
    with Progress(total=len(checks), console=console, quiet=args.quiet) as progress:
        for check in checks:
            progress.start(check.id, check.title)
            result = ...                                     # a CheckResult
            progress.finish(result, client.requests_sent)
    print_summary(report_dict, console, quiet=args.quiet, paths=written)

- ``make_console(no_color=False, file=None) -> Console``: a rich Console on stderr (or ``file``).
  Colours are off when ``no_color`` is set, when ``NO_COLOR`` is set, or when the stream is not
  a terminal.
- ``Progress(total, *, console=None, quiet=False)``: a context manager. On a terminal it shows a
  live bar (current check, done/total, requests sent) and prints a line for each check that did
  not pass; elsewhere (CI logs) one plain line per finished check. ``quiet`` prints nothing.
- ``Progress.watch(outstanding)``: ``outstanding()`` gives the request in flight longest and its
  seconds so far (the client's, already redacted). While one has been outstanding for
  ``WAIT_NOTICE_S``, a plain line says so (``waiting for GET ...containers?per_page=5 (8 s)``),
  at most every ``WAIT_REPEAT_S``, on a terminal, in CI logs and with ``quiet`` alike: a log
  never goes silent for minutes.
- ``print_summary(report, console, *, quiet=False, paths=None)``: from the report.json dict: a
  table of the checks that did not pass, the counts, each failure (expected, received, request,
  source, how to reproduce), the report files, and the verdict last. ``quiet`` keeps only the
  failures and the verdict.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text

from conformance.report import matrix, recorded, view

if TYPE_CHECKING:
    from conformance.results import CheckResult

WAIT_NOTICE_S = 5.0  # a request outstanding this long is announced...
WAIT_REPEAT_S = 5.0  # ...and again at most this often
_TICK_S = 0.5

Outstanding = Callable[[], "tuple[str, float] | None"]

STYLES = {"passed": "green", "failed": "bold red", "warned": "yellow", "skipped": "dim"}
LABELS = {"passed": "PASS", "failed": "FAIL", "warned": "WARN", "skipped": "SKIP"}


def make_console(*, no_color: bool = False, file: IO[str] | None = None) -> Console:
    """A Console for progress and summary: stderr by default, colour only on a terminal."""
    return Console(
        file=file if file is not None else sys.stderr,
        no_color=no_color or None,  # None lets rich honour NO_COLOR
        color_system=None if no_color else "auto",
        highlight=False,
        emoji=False,
    )


class Progress:
    """Per-check progress while a run goes; see the module docstring for how the runner uses it."""

    def __init__(self, total: int, *, console: Console | None = None, quiet: bool = False) -> None:
        self.total = total
        self.console = console or make_console()
        self.quiet = quiet
        self.done = 0
        self.requests_sent = 0
        self._live: RichProgress | None = None
        self._task: Any = None
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if not self.quiet and self.console.is_terminal:
            self._live = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("requests {task.fields[requests]}"),
                console=self.console,
                transient=True,
            )
            self._live.start()
            self._task = self._live.add_task("starting", total=self.total, requests=0)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        if self._live is not None:
            self._live.stop()
            self._live = None

    def watch(self, outstanding: Outstanding) -> None:
        """Say what the run waits for while a request is outstanding (see the module docs)."""
        if self._watcher is None:
            self._watcher = threading.Thread(
                target=self._watch, args=(outstanding,), name="nf-conformance-waiting", daemon=True
            )
            self._watcher.start()

    def _watch(self, outstanding: Outstanding) -> None:
        said_at: float | None = None
        while not self._stop_watching.wait(_TICK_S):
            current = outstanding()
            if current is None or current[1] < WAIT_NOTICE_S:
                continue
            now = time.monotonic()
            if said_at is not None and now - said_at < WAIT_REPEAT_S:
                continue
            said_at = now
            what, seconds = current
            self.console.print(Text(f"waiting for {what} ({seconds:.0f} s)"), soft_wrap=True)

    def start(self, check_id: str, title: str = "") -> None:
        """A check begins."""
        if self._live is not None:
            self._live.update(self._task, description=f"{check_id} {title}".strip())

    def finish(self, result: CheckResult, requests_sent: int) -> None:
        """A check ended with ``result``; ``requests_sent`` is the run's total so far."""
        self.done += 1
        self.requests_sent = requests_sent
        if self.quiet:
            return
        status = result.status.value
        if self._live is not None:
            self._live.update(self._task, advance=1, requests=requests_sent)
            if status != "passed":
                self.console.print(self._line(result))
            return
        self.console.print(self._line(result), soft_wrap=True)

    def _line(self, result: CheckResult) -> Text:
        status = result.status.value
        width = len(str(self.total))
        line = Text(f"[{self.done:>{width}}/{self.total}] ")
        line.append(LABELS[status], style=STYLES[status])
        line.append(f" {result.id}  {result.title}")
        if status != "passed" and result.message:
            line.append(f": {result.message.splitlines()[0]}", style="dim")
        line.append(f"  (requests {self.requests_sent})", style="dim")
        return line


def _source(report: view.Report, check: Mapping[str, Any]) -> str | None:
    index = view.requirement_index(report)
    for requirement_id in check["requirements"]:
        requirement = index.get(requirement_id)
        if requirement:
            text = " ".join(str(requirement["quote"]).split())
            text = text if len(text) <= 90 else text[:89] + "…"
            return f'{requirement["ref"]}: "{text}"'
    return None


def failure_block(report: view.Report, check: Mapping[str, Any]) -> Text:
    """One failure the way STYLE.md shows it: ID, title, expected, received, request, reproduce."""
    sources = ", ".join(check.get("source") or [])
    tag = f"[{check['level']}{', ' + sources if sources else ''}"
    tag += "; does not fail the run]" if check["level"] != "MUST" else "]"
    text = Text()
    if check.get("expected_failure"):
        text.append("XFAIL", style="yellow")
    else:
        text.append("FAIL", style=STYLES["failed" if check["level"] == "MUST" else "warned"])
    text.append(f" {check['id']}  {check['title']}  {tag}\n")
    if check.get("expected_failure"):
        entry = check["expected_failure"]
        text.append(f"  Expected failure until {entry['expires']}: {entry['reason']}\n", "yellow")
    rows: list[tuple[str, str]] = []
    if check.get("expected") is not None:
        rows.append(("Expected", str(check["expected"])))
    if check.get("received") is not None:
        rows.append(("Received", str(check["received"])))
    message = view.failure_message(check)
    if message:
        rows.append(("Message", message))
    evidence = (check.get("evidence") or [{}])[0]
    request = evidence.get("request") or {}
    if request:
        rows.append(("Request", f"{request.get('method', 'GET')} {request.get('url', '')}"))
    entry = view.har_entry(report, evidence)
    if entry is not None:
        rows.append(("HAR", entry.jq or f"entry {entry.index} of the run's recording"))
    source = _source(report, check)
    if source:
        rows.append(("Source", source))
    curl = view.curl_command(report, evidence)
    if curl:
        rows.append(("Reproduce", curl))
        rows.append(("", view.run_command(report, check["id"])))
    else:
        rows.append(("Reproduce", view.run_command(report, check["id"])))
    if replay := recorded.recorded_replay_line(report, check["id"]):
        rows.append(("", replay))
    for label, value in rows:
        head = f"{label}:" if label else ""
        text.append(f"  {head:<11}{value}\n")
    return text


def _label(check: Mapping[str, Any]) -> Text:
    if check["status"] == "failed" and check.get("expected_failure"):
        return Text("XFAIL", style="yellow")
    style = STYLES["failed" if view.is_blocking(check) else check["status"]]
    if check["status"] == "failed" and not view.is_blocking(check):
        style = STYLES["warned"]
    return Text(LABELS[check["status"]], style=style)


def _reason(check: Mapping[str, Any]) -> str:
    """The line under a row: why it did not pass. A failure's details follow the table, so its
    line says only what it means for the run (expected and received are shown once, below)."""
    if check["status"] == "failed":
        if check.get("expected_failure"):
            return f"expected failure until {check['expected_failure']['expires']}; details below"
        if check["level"] != "MUST":
            return f"{check['level']}: does not fail the run; details below"
        return "fails the run; details below"
    return " ".join(str(check.get("message") or "").split())


def _table(report: view.Report) -> Table:
    """One row per check that did not pass, its reason wrapped on the line under the title.

    Outcome, ID and level never wrap, so at 80 columns the title and the reason keep about 50
    characters instead of five columns of a few characters each.
    """
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Check", no_wrap=True)
    table.add_column("Title and reason", overflow="fold", ratio=1, min_width=20)
    table.add_column("Level", no_wrap=True)
    for check in view.sorted_checks(report):
        if check["status"] == "passed":
            continue
        reason = _reason(check)
        cell = Text(check["title"])
        if reason:
            cell.append("\n" + reason, style="dim")
        table.add_row(_label(check), check["id"], cell, check["level"])
    return table


def _verdict(report: view.Report) -> Text:
    ok = view.exit_code(report) == 0
    return Text(view.verdict_line(report), style="bold green" if ok else "bold red")


def print_summary(
    report: view.Report,
    console: Console,
    *,
    quiet: bool = False,
    paths: Mapping[str, Path] | None = None,
) -> None:
    """The end-of-run summary from the report.json dict; the verdict comes last."""
    failed = view.with_status(report, "failed")
    if not quiet and any(c["status"] != "passed" for c in report["checks"]):
        console.print(_table(report))
        console.print()
    for check in failed:
        console.print(failure_block(report, check), soft_wrap=True)
    for problem in report.get("stale_entries") or []:
        console.print(Text(f"STALE {problem}", style="bold red"), soft_wrap=True)
    if not quiet:
        counts = ", ".join(f"{report['summary'][s]} {s}" for s in view.STATUSES)
        console.print(
            f"{len(report['checks'])} checks: {counts}; "
            f"requirements: {view.coverage(report).describe()}; "
            f"{report['requests_sent']} requests to {view.target_host(report)} "
            f"in {report['duration_s']:.1f} s (seed {report['seed']})",
            soft_wrap=True,
        )
        if line := matrix.summary_line(report):
            console.print(line, soft_wrap=True)
        for kind, path in (paths or {}).items():
            console.print(f"{kind:>8}: {path}", soft_wrap=True)
    for line in (recorded.recording_line(report), recorded.har_line(report)):
        if line:
            console.print(Text(line[0].upper() + line[1:]), soft_wrap=True)
    console.print(_verdict(report))
