from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from conformance.report.files import report_dict
from conformance.report.terminal import Progress, make_console, print_summary
from tests.report.builders import checks, passing_result, run_result
from tests.report.snapshot import assert_snapshot


def plain_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=100, no_color=True, color_system=None), out


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_summary_snapshot() -> None:
    console, out = plain_console()
    print_summary(
        report_dict(run_result()),
        console,
        paths={
            "json": Path("reports/latest/report.json"),
            "html": Path("reports/latest/report.html"),
        },
    )
    assert_snapshot("summary-failing.txt", out.getvalue())


def test_quiet_summary_snapshot() -> None:
    console, out = plain_console()
    print_summary(report_dict(run_result()), console, quiet=True)
    assert_snapshot("summary-failing-quiet.txt", out.getvalue())


def test_conformant_summary_ends_with_the_verdict() -> None:
    console, out = plain_console()
    print_summary(report_dict(passing_result()), console)
    assert out.getvalue().rstrip().splitlines()[-1] == "Conformant: every required check passed"


def test_progress_lines_when_not_a_terminal() -> None:
    console, out = plain_console()
    results = checks()
    with Progress(total=len(results), console=console) as progress:
        for sent, result in enumerate(results, start=1):
            progress.start(result.id, result.title)
            progress.finish(result, requests_sent=sent * 10)
    assert_snapshot("progress-plain.txt", out.getvalue())


def test_quiet_progress_prints_nothing() -> None:
    console, out = plain_console()
    with Progress(total=1, console=console, quiet=True) as progress:
        progress.start("NF-PAG-003")
        progress.finish(checks()[0], requests_sent=3)
    assert out.getvalue() == ""
    assert progress.done == 1
    assert progress.requests_sent == 3


def test_colours_are_off_when_not_a_terminal() -> None:
    out = io.StringIO()
    console = make_console(file=out)
    print_summary(report_dict(run_result()), console)
    assert console.color_system is None
    assert "\x1b[" not in out.getvalue()


def test_colours_are_on_for_a_terminal_unless_no_color() -> None:
    coloured = FakeTTY()
    print_summary(report_dict(run_result()), make_console(file=coloured))
    assert "\x1b[" in coloured.getvalue()
    plain = FakeTTY()
    print_summary(report_dict(run_result()), make_console(file=plain, no_color=True))
    assert "\x1b[" not in plain.getvalue().replace("\x1b[?25l", "").replace("\x1b[?25h", "")
    assert "Not conformant" in plain.getvalue()


def test_live_progress_on_a_terminal_reports_what_did_not_pass() -> None:
    tty = FakeTTY()
    console = make_console(file=tty, no_color=True)
    results = checks()
    with Progress(total=len(results), console=console) as progress:
        for result in results:
            progress.start(result.id, result.title)
            progress.finish(result, requests_sent=5)
    text = tty.getvalue()
    assert "FAIL NF-PAG-003" in text
    assert "SKIP NF-RUN-002" in text
    assert "PASS NF-PRM-001" not in text
    assert progress.done == len(results)


def test_default_console_is_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    console = make_console()
    console.print("hello")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "hello" in captured.err
