"""The one registry of report formats: each format module registers its renderer here.

A format is a function from the report.json dict to the file's text, decorated with
:func:`report_format` in its own module of ``conformance/report/``; :func:`registered` imports
every module of the package once (the one place formats are discovered from), so adding a format
is adding its module. A duplicate kind or file name fails at import time and names both places.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class FormatError(Exception):
    """The format registry itself is inconsistent (a programming error, found at import)."""


Renderer = Callable[[Any], str]  # the report.json dict -> the file's text


@dataclass(frozen=True)
class ReportFormat:
    kind: str  # the key of write_reports' result: json, junit, markdown, html, ...
    filename: str  # the file it writes in the report directory
    render: Renderer = field(repr=False, compare=False)

    @property
    def location(self) -> str:
        return f"{self.render.__module__}.{getattr(self.render, '__name__', 'render')}"


FORMATS: dict[str, ReportFormat] = {}


def report_format(*, kind: str, filename: str) -> Callable[[Renderer], Renderer]:
    """Register ``render`` as the report format ``kind``, written to ``filename``."""

    def register(render: Renderer) -> Renderer:
        new = ReportFormat(kind, filename, render)
        for old in FORMATS.values():
            if old.kind == kind or old.filename == filename:
                raise FormatError(
                    f"report format {kind!r} ({filename}) registered twice: {old.location} and "
                    f"{new.location}"
                )
        FORMATS[kind] = new
        return render

    return register


PACKAGE = __name__.rpartition(".")[0]  # conformance.report


def registered() -> list[ReportFormat]:
    """Every report format, by kind: the modules of ``conformance.report`` are imported first."""
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"{PACKAGE}.{module.name}")
    return sorted(FORMATS.values(), key=lambda f: f.kind)


def report_files() -> tuple[str, ...]:
    """The file names a run writes, by kind."""
    return tuple(f.filename for f in registered())
