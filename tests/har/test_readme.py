"""The README's recording section: its command lines parse and name real checks and flags."""

from __future__ import annotations

import shlex

import pytest

import conformance.checks  # noqa: F401 - registers the check IDs the examples name
from conformance.catalog import CHECKS
from conformance.cli import build_parser
from tests.report.test_readme import blocks, commands, section


def test_both_workflows_are_documented_and_their_commands_parse() -> None:
    text = section("Recording and replaying a run (HAR)")
    assert "### Release check of a spec change" in text
    assert "### A bug report with a HAR attached" in text
    found = [argv for block in blocks(text, "sh") for argv in commands(block)]
    flags = {word for argv in found for word in argv if word.startswith("--")}
    assert {"--record", "--replay", "--spec", "--only"} <= flags
    assert [argv[0] for argv in found].count("diff") == 1
    assert ["run", "--replay", "bug.har", "--only", "NF-PAG-001"] in found
    parser = build_parser()
    for argv in found:
        try:
            parser.parse_args(argv)
        except SystemExit:  # pragma: no cover - the failure message is what matters
            pytest.fail(f"README command does not parse: nf-conformance {shlex.join(argv)}")
        if "--only" in argv:
            assert argv[argv.index("--only") + 1] in CHECKS
