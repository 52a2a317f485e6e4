"""Write the report set of a run into a directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.report import html, jsonfile, junit, markdown, view
from conformance.report.expected import ExpectedFailure, apply_expected_failures
from conformance.spec import requirements

if TYPE_CHECKING:
    from conformance.results import RunResult

Renderer = Callable[[view.Report], str]
Redact = Callable[[Any], Any]  # a value (dict, list, str) with every secret replaced


def _renderers() -> dict[str, tuple[str, Renderer]]:
    return {
        "json": ("report.json", jsonfile.dump),
        "junit": ("junit.xml", junit.render),
        "markdown": ("report.md", markdown.render),
        "html": ("report.html", html.render),
    }


REPORT_FILES = ("report.json", "junit.xml", "report.md", "report.html")


def catalog_entries() -> list[dict[str, str]]:
    """The requirement catalog as report.json records it."""
    return [
        {
            "id": r.id,
            "level": r.level.value,
            "source": r.source.value,
            "ref": r.ref,
            "quote": r.quote,
        }
        for r in requirements().values()
    ]


def report_dict(result: RunResult) -> dict[str, Any]:
    """report.json's content: the run, the catalog it ran against, and the verdict."""
    data = result.to_dict()
    if not data.get("requirements"):
        data["requirements"] = catalog_entries()
    data["verdict"] = view.verdict(data)
    jsonfile.validate(data)
    return data


def render_all(report: view.Report) -> dict[str, str]:
    """Every report file's text, by kind (json, junit, markdown, html), from a report dict."""
    return {kind: render(report) for kind, (_, render) in _renderers().items()}


def write_reports(
    result: RunResult,
    report_dir: Path,
    *,
    expected_failures: Sequence[ExpectedFailure] | None = None,
    today: dt.date | None = None,
    redact: Redact | None = None,
) -> dict[str, Path]:
    """Write report.json, junit.xml, report.md and report.html; return their paths by kind.

    With ``expected_failures`` the entries are applied first (see
    :func:`conformance.report.expected.apply_expected_failures`); ``today`` defaults to the date
    the run started. ``redact`` (the run's tokens) is applied to the report data and again to
    each file's text: the results are redacted already, this is the belt to those braces.
    """
    if expected_failures is not None:
        day = today or dt.datetime.fromisoformat(result.started_at).date()
        apply_expected_failures(result, expected_failures, day)
    data = report_dict(result)
    if redact is not None:
        data = redact(data)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for kind, (name, render) in _renderers().items():
        path = report_dir / name
        text = render(data)
        path.write_text(text if redact is None else redact(text), encoding="utf-8")
        written[kind] = path
    return written
