"""report.md (work in progress)."""

from __future__ import annotations

from conformance.report import view


def render(report: view.Report) -> str:
    return f"# Conformance report\n\n**{view.verdict_line(report)}**\n"
