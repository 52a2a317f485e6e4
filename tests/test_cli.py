"""``nf-conformance --help`` and each command's ``--help``: what the tool does for a user, with
examples that really parse, in 80 columns."""

from __future__ import annotations

import re
import shlex

import pytest

from conformance.cli import SUBCOMMANDS, build_parser, main
from conformance.runner import load_checks

WIDTH = 80


def help_text(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))


def section(text: str, title: str) -> str:
    """The lines of ``title:`` up to the next blank line."""
    match = re.search(rf"^{re.escape(title)}:\n((?:.+\n)+)", text, flags=re.M)
    assert match, f"no '{title}:' section in\n{text}"
    return match.group(1)


def commands_in(text: str) -> list[str]:
    """The ``nf-conformance ...`` lines of a help text, continuations joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    lines = [line.split("#", 1)[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line.startswith("nf-conformance ")]


def test_top_level_help_says_what_the_tool_does(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text([], capsys)
    assert text.startswith("usage: nf-conformance [-h] [--version] COMMAND ...\n")
    intro = text.split("\n\n")[1]
    assert 'Northflank\'s "List job containers" endpoint' in intro
    for topic in ("schema", "pagination", "runId", "permissions", "error bodies", "built-in mock"):
        assert topic in text.split("options:")[0], topic
    # a user's help, not a module docstring
    assert "``" not in text
    assert "conformance/commands" not in text
    assert "entry point" not in text


def test_top_level_help_lists_each_command_on_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = section(help_text([], capsys), "commands").splitlines()
    assert [line.split()[0] for line in commands] == list(SUBCOMMANDS)
    for line in commands:
        assert len(line.split()) > 4, f"a command without its one-line summary: {line!r}"


def test_top_level_help_gives_reports_and_every_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_text([], capsys)
    assert "reports/latest/" in section(text, "reports")
    assert "report.html" in section(text, "reports")
    codes = re.findall(r"^  (\d+) ", section(text, "exit codes"), flags=re.M)
    assert codes == ["0", "1", "2", "3", "130"]


@pytest.mark.parametrize("argv", [[], ["run"], ["mock"], ["diff"]], ids=["top", *SUBCOMMANDS])
def test_help_fits_80_columns_and_never_splits_a_flag_or_check_id(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_text(argv, capsys)
    too_wide = [line for line in text.splitlines() if len(line) > WIDTH]
    assert too_wide == []
    assert not re.search(r"(NF-|NF-[A-Z]+-|--[a-z]+-)\n", text), "a word broken at a hyphen"


@pytest.mark.parametrize("argv", [[], ["run"], ["mock"], ["diff"]], ids=["top", *SUBCOMMANDS])
def test_every_example_in_the_help_parses_and_names_real_checks(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    examples = commands_in(help_text(argv, capsys))
    assert examples, "no example"
    registry = load_checks()
    for example in examples:
        words = shlex.split(example)[1:]
        args = build_parser().parse_args(words)  # SystemExit(2) on a bad example
        assert args.command in SUBCOMMANDS
        for check_id in getattr(args, "only", []):
            assert check_id in registry, f"{example}: no check {check_id}"


def test_quick_start_shows_the_mock_a_live_target_one_check_and_diff(
    capsys: pytest.CaptureFixture[str],
) -> None:
    examples = commands_in(section(help_text([], capsys), "quick start"))
    assert "nf-conformance run" in examples
    assert any("--base-url" in e and "--project-id" in e and "--job-id" in e for e in examples)
    assert any("--only" in e for e in examples)
    assert any(e.startswith("nf-conformance diff ") for e in examples)


def test_run_help_explains_target_tokens_reports_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_text(["run"], capsys)
    intro = text.split("options:")[0]
    assert "built-in\nmock" in intro
    assert "NORTHFLANK_API_TOKEN" in intro
    assert "NF_CONFORMANCE_RESTRICTED_TOKEN" in intro
    assert "never from a flag" in intro
    assert "--report-dir" in section(text, "reports")
    codes = re.findall(r"^  (\d) ", section(text, "exit codes"), flags=re.M)
    assert codes == ["0", "1", "2", "3"]
    assert "``" not in text


def test_no_command_is_a_usage_error_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: nf-conformance [-h] [--version] COMMAND ...")
    assert "Try 'nf-conformance --help'." in err
