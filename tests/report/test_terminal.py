from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from conformance.report.files import report_dict
from conformance.report.terminal import Progress, make_console, print_summary
from conformance.results import CheckResult, Status
from tests.report.builders import checks, passing_result, run_result, stress_report
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


LABEL = re.compile(r"^(FAIL|XFAIL|WARN|SKIP) +(NF-[A-Z]+-\d{3}) ")


def narrow_report() -> dict[str, Any]:
    """The usual run plus what squeezes a table: a 69-character title, a long reason, an
    expected failure and a SHOULD failure."""
    extra = [
        CheckResult(
            id="NF-PAG-010",
            title="An invalid per_page value is rejected with 4xx, or above 100 clamped.",
            requirements=["REQ-PAG-LAST-PAGE"],
            level="MUST",
            source=["documented"],
            status=Status.SKIPPED,
            message="not run: request budget of 300 spent; raise it with --max-requests "
            "(the walks at per_page 1, 7 and 100 used most of it)",
        ),
        CheckResult(
            id="NF-HTTP-101",
            title="Generated requests get only documented status codes",
            requirements=["REQ-HTTP-405"],
            level="MUST",
            source=["http"],
            status=Status.FAILED,
            message="418 (expected 200, 400, 401, 403, 404 or 429)",
            expected="200, 400, 401, 403, 404 or 429",
            received="418",
            expected_failure={"reason": "teapot", "link": None, "expires": "2027-01-31"},
        ),
    ]
    assert len(extra[0].title) == 69
    return report_dict(run_result(check_list=[*checks(), *extra]))


def table_rows(text: str) -> list[list[str]]:
    """The summary table's rows, each as its lines (the table ends at the first blank line)."""
    table = text.split("\n\n", 1)[0].splitlines()[2:]  # after the header and its rule
    rows: list[list[str]] = []
    for line in table:
        if LABEL.match(line):
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


@pytest.mark.parametrize("width", [80, 120])
def test_the_summary_table_stays_readable_at(width: int) -> None:
    report = narrow_report()
    out = io.StringIO()
    print_summary(report, Console(file=out, width=width, no_color=True, color_system=None))
    text = out.getvalue()
    assert_snapshot(f"summary-table-{width}.txt", text.split("\n\n", 1)[0] + "\n")
    table = text.split("\n\n", 1)[0]
    assert max(len(line) for line in table.splitlines()) <= width
    not_passed = [c for c in report["checks"] if c["status"] != "passed"]
    rows = table_rows(text)
    assert [LABEL.match(row[0]).group(2) for row in rows] == [c["id"] for c in not_passed]  # type: ignore[union-attr]
    for check, row in zip(not_passed, rows, strict=True):
        title = check["title"]
        column = row[0].index(title.split()[0])
        cells = [line[column:].rsplit(check["level"], 1)[0].strip() for line in row[:1]]
        cells += [line[column:].strip() for line in row[1:]]
        first = cells[0]
        assert title.startswith(first)
        assert len(first) >= min(len(title), 40), f"title squeezed: {first!r}"
        words = " ".join(cells).split()
        for word in title.split():
            assert word in words, f"{word!r} of {title!r} broken across lines"
        assert row[0].rstrip().endswith(check["level"])
    assert "XFAIL" in table
    assert "expected failure until 2027-01-31" in table
    # a failure's expected and received are printed once, in its block below the table
    for check in not_passed:
        if check["status"] == "failed":
            assert check["received"] not in table
            assert text.count(f"Received:  {check['received']}") == 1


def test_a_failure_of_a_recorded_run_names_its_har_entry() -> None:
    console, out = plain_console()
    print_summary(stress_report(har="run.har"), console, quiet=True)
    block = out.getvalue().split("FAIL NF-PAG-001", 1)[1].split("\n\n", 1)[0]
    assert "  HAR:       jq '.log.entries[2]' run.har\n" in block
    console, out = plain_console()
    print_summary(report_dict(run_result()), console, quiet=True)
    assert "HAR:" not in out.getvalue()
