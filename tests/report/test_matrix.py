"""The path matrix in the report set: report.json (valid against its schema), report.md,
report.html and the terminal summary, all from one real run against the mock."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from conformance.options import RunOptions, mock_target
from conformance.report import load_report, write_reports
from conformance.report import matrix as matrix_view
from conformance.report.terminal import make_console, print_summary
from conformance.runner import execute, select_checks


@pytest.fixture(scope="module")
def report_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    result = execute(mock_target(RunOptions()), select_checks(["NF-PAG-001"]), seed=1)
    directory = tmp_path_factory.mktemp("matrix")
    paths = write_reports(result, directory)
    return dict(load_report(paths["json"])), directory


def test_report_json_lists_every_cell_with_responses_or_a_reason(
    report_set: tuple[dict[str, Any], Path],
) -> None:
    report, _ = report_set
    matrix = report["matrix"]
    assert matrix["total"] == len(matrix["cells"]) == 120
    assert 0 < matrix["covered"] < matrix["total"]
    for cell in matrix["cells"]:
        assert bool(cell["responses"]) != ("reason" in cell)


def test_report_md_shows_the_grid_and_the_reasons(report_set: tuple[dict[str, Any], Path]) -> None:
    report, directory = report_set
    text = (directory / "report.md").read_text(encoding="utf-8")
    assert "## Path matrix" in text
    assert f"Path matrix: {report['matrix']['covered']} of 120 cells reached" in text
    assert "| team | runId | max |" in text
    assert "too few for a middle page" in text
    assert "none empty" in text


def test_report_html_shows_the_grid(report_set: tuple[dict[str, Any], Path]) -> None:
    _, directory = report_set
    text = (directory / "report.html").read_text(encoding="utf-8")
    assert '<section id="matrix"><h2>Path matrix</h2>' in text
    assert text.count('<td class="hit" ') + text.count('<td class="miss" ') == 120


def test_the_terminal_summary_has_one_matrix_line(report_set: tuple[dict[str, Any], Path]) -> None:
    report, _ = report_set
    out = io.StringIO()
    print_summary(report, make_console(no_color=True, file=out))
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Path matrix:")]
    assert lines == [matrix_view.summary_line(report)]


def test_a_report_without_a_matrix_shows_none() -> None:
    assert matrix_view.summary_line({}) is None
    assert matrix_view.grid({"matrix": {}}) == []
