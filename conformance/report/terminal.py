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
- ``print_summary(report, console, *, quiet=False, paths=None)``: from the report.json dict: a
  table of the checks that did not pass, the counts, each failure (expected, received, request,
  source, how to reproduce), the report files, and the verdict last. ``quiet`` keeps only the
  failures and the verdict.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text

from conformance.report import matrix, view

if TYPE_CHECKING:
    from conformance.results import CheckResult

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
        if self._live is not None:
            self._live.stop()
            self._live = None

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
    if not rows and check.get("message"):
        rows.append(("Message", str(check["message"])))
    evidence = (check.get("evidence") or [{}])[0]
    request = evidence.get("request") or {}
    if request:
        rows.append(("Request", f"{request.get('method', 'GET')} {request.get('url', '')}"))
    source = _source(report, check)
    if source:
        rows.append(("Source", source))
    curl = view.curl_command(report, evidence)
    if curl:
        rows.append(("Reproduce", curl))
        rows.append(("", view.run_command(report, check["id"])))
    else:
        rows.append(("Reproduce", view.run_command(report, check["id"])))
    for label, value in rows:
        head = f"{label}:" if label else ""
        text.append(f"  {head:<11}{value}\n")
    return text


def _table(report: view.Report) -> Table:
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    for column in ("Outcome", "Check", "Title", "Level", "Reason"):
        table.add_column(column, overflow="fold")
    for check in view.sorted_checks(report):
        if check["status"] == "passed":
            continue
        table.add_row(
            Text(view.outcome(check), style=STYLES[check["status"]]),
            check["id"],
            check["title"],
            check["level"],
            " ".join(str(check.get("message") or "").split()),
        )
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
    console.print(_verdict(report))
