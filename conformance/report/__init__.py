"""Reports of a run: report.json (with its JSON Schema), junit.xml, report.md and report.html.

``write_reports`` is the one entry point a run calls; every human-readable report is made from
the report.json dict only, so a committed report.json can be re-rendered at any time.
"""

from __future__ import annotations

from conformance.report.files import write_reports
from conformance.report.formats import report_files
from conformance.report.jsonfile import ReportError, load_report, validate

__all__ = ["ReportError", "load_report", "report_files", "validate", "write_reports"]
