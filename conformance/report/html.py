"""report.html (work in progress)."""

from __future__ import annotations

from html import escape

from conformance.report import view


def render(report: view.Report) -> str:
    return f"<!doctype html><title>Conformance report</title><p>{escape(view.verdict_line(report))}"
