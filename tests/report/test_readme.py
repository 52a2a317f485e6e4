"""The README's report sections run as tests: their YAML parses and their commands are valid."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

import conformance.checks  # noqa: F401 - registers the check IDs the examples name
from conformance.catalog import CHECKS
from conformance.cli import build_parser
from conformance.report.expected import parse_expected_failures

README = Path(__file__).resolve().parents[2] / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return re.split(r"^## ", text.split(f"\n## {title}\n", 1)[1], maxsplit=1, flags=re.M)[0]


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def commands(text: str) -> list[list[str]]:
    """Every nf-conformance command line, with each ${{ ... }} expression replaced by 1."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "1", text)
    found = []
    for match in re.finditer(r"nf-conformance (?:run|diff)\b[^\n]*(?:\n +--[^\n]*)*", text):
        line = match.group(0).replace("\n", " ").split(" > ")[0]  # drop a shell redirection
        found.append(shlex.split(line)[1:])
    return found


def test_the_expected_failures_example_is_valid() -> None:
    (example,) = blocks(section("Reading the reports"), "yaml")
    entries = parse_expected_failures(yaml.safe_load(example), known_checks=CHECKS.keys())
    assert [entry.check for entry in entries] == ["NF-PAG-011"]


def test_the_junit_example_names_a_real_check() -> None:
    text = section("Reading the reports")
    check_id, title = re.search(r"named `(NF-\w+-\d+) ([^`]+)`", text.replace("\n  ", " ")).groups()  # type: ignore[union-attr]
    assert CHECKS[check_id].title == title


def test_the_ci_recipe_parses_and_its_commands_are_valid() -> None:
    text = section("CI recipe")
    (workflow,) = blocks(text, "yaml")
    loaded = yaml.safe_load(workflow)
    steps = loaded["jobs"]["staging"]["steps"]
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
    assert any("junit.xml" in str(step.get("with", {})) for step in steps)
    run_step = next(step for step in steps if "nf-conformance run" in step.get("run", ""))
    assert set(run_step["env"]) >= {"NORTHFLANK_API_BASE_URL", "NORTHFLANK_API_TOKEN"}
    assert "secrets." in run_step["env"]["NORTHFLANK_API_TOKEN"]
    found = commands(run_step["run"]) + commands(blocks(text, "sh")[0])
    assert [argv[0] for argv in found] == ["run", "run", "diff"]
    parser = build_parser()
    for argv in found:
        try:
            parser.parse_args(argv)
        except SystemExit:  # pragma: no cover - the failure message is what matters
            pytest.fail(f"README command does not parse: nf-conformance {shlex.join(argv)}")
