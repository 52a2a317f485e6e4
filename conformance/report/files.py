"""Write the report set of a run into a directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.report import view
from conformance.report.expected import ExpectedFailure, apply_expected_failures
from conformance.report.formats import registered
from conformance.report.jsonfile import FORMAT_VERSION, validate
from conformance.spec import requirements

if TYPE_CHECKING:
    from conformance.results import RunResult

Redact = Callable[[Any], Any]  # a value (dict, list, str) with every secret replaced


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
    data = {"format_version": FORMAT_VERSION, **result.to_dict()}
    if not data.get("requirements"):
        data["requirements"] = catalog_entries()
    data["verdict"] = view.verdict(data)
    validate(data)
    return data


def write_reports(
    result: RunResult,
    report_dir: Path,
    *,
    expected_failures: Sequence[ExpectedFailure] | None = None,
    today: dt.date | None = None,
    redact: Redact | None = None,
) -> dict[str, Path]:
    """Write every registered report format (report.json, junit.xml, report.md, report.html);
    return their paths by kind.

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
    for found in registered():
        path = report_dir / found.filename
        try:
            text = found.render(data)
        except Exception as error:  # a body no renderer foresaw: still a file, never a traceback
            if found.kind == "json":
                raise
            text = f"The {found.kind} report could not be rendered ({type(error).__name__}: "
            text += f"{str(error)[:200]}); report.json holds the whole run.\n"
        path.write_text(text if redact is None else redact(text), encoding="utf-8")
        written[found.kind] = path
    return written
