"""diff: compare two report.json files (an old release's and a new run's) for release gating.

Lists regressions (passed -> failed), fixes, new and removed checks and requirements and the
change in requests sent, and warns when the two runs checked different specs. Exit code 1 on
any regression, 0 otherwise, 2 when a file cannot be read or is not a valid report.json.
"""

from __future__ import annotations

import argparse
import sys

from conformance.exit_codes import EXIT_USAGE
from conformance.report import ReportError, load_report
from conformance.report.compare import compare, render


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.json", help="the baseline report.json (last release)")
    parser.add_argument("new", metavar="NEW.json", help="the report.json of the run to judge")
    parser.add_argument(
        "--format",
        choices=["text", "markdown"],
        default="text",
        help="plain text (default) or Markdown for a pull-request comment",
    )


def main(args: argparse.Namespace) -> int:
    try:
        old = load_report(args.old)
        new = load_report(args.new)
    except ReportError as error:
        print(f"nf-conformance diff: {error}", file=sys.stderr)
        return EXIT_USAGE
    comparison = compare(old, new)
    sys.stdout.write(render(comparison, markdown=args.format == "markdown"))
    return comparison.exit_code
