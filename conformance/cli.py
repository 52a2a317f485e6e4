"""The ``nf-conformance`` entry point: parses, dispatches to conformance/commands/, and holds the
help a user reads (``--help`` of the tool and of each subcommand). Each subcommand returns an
exit code: 0 conformant, 1 a required check failed, 2 usage or configuration error, 3 target
unreachable."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType

from conformance import __version__
from conformance.commands import diff, mock, run
from conformance.exit_codes import EXIT_INTERRUPTED, EXIT_USAGE

SUBCOMMANDS: dict[str, ModuleType] = {"run": run, "mock": mock, "diff": diff}

DESCRIPTION = """\
Contract tests for Northflank's "List job containers" endpoint
(GET /v1/projects/{projectId}/jobs/{jobId}/containers and its team-scoped twin).

It checks what the documentation and the official clients require: the response
schema, pagination by cursor and by page number, the runId filter, permissions
(401 and 403), error bodies and HTTP semantics; schemathesis property tests add
generated requests. Every check has a stable ID (e.g. NF-PAG-004) tied to a
quoted requirement. A run goes to a live URL or to the built-in mock (the
default: no network, no account, no token)."""

# One line each in `nf-conformance --help`; the subcommand's own --help says more.
SUMMARIES = {
    "run": "check a target (default: the built-in mock) and write the report set",
    "mock": "serve the built-in mock, or a deliberately broken one, on 127.0.0.1",
    "diff": "compare two report.json files: regressions, fixes, new checks",
}
COMMANDS = "commands:\n" + "\n".join(f"  {name:<6}{text}" for name, text in SUMMARIES.items())

EPILOG = (
    COMMANDS
    + """

quick start:
  nf-conformance run                    # against the built-in mock, in process
  export NORTHFLANK_API_TOKEN=...       # a token that may read the job
  nf-conformance run --base-url https://api.northflank.com \\
      --project-id demo --job-id nightly    # a live target
  nf-conformance run --only NF-PAG-004 NF-RUN-001 --seed 1
  nf-conformance mock --port 0          # the mock over HTTP, for a client
  nf-conformance diff last-release/report.json reports/latest/report.json

reports:
  report.json (with its JSON Schema), junit.xml, report.md and report.html go to
  reports/latest/ (run --report-dir DIR); the summary and verdict go to stderr.

exit codes:
  0    every required (MUST) check passed; diff: no regression
  1    a required check failed, an expected-failures entry is stale, or the run
       stopped (budget, deadline) before its required checks ran;
       diff: a regression
  2    usage or configuration error (a bad flag, a missing token or id)
  3    the target cannot be reached
  130  interrupted (Ctrl-C)

Run 'nf-conformance COMMAND --help' for a command's options."""
)

RUN_DESCRIPTION = """\
Run every check (or only those --only names) against one target and write the
report set.

Without --base-url (or NORTHFLANK_API_BASE_URL) the run goes to the built-in
mock, in process: no network, no account, no token. Against a live target the
tokens come from the environment only, never from a flag:
  NORTHFLANK_API_TOKEN             a token with the job's View Instance Logs
                                   permission (required for a live target)
  NF_CONFORMANCE_RESTRICTED_TOKEN  optional: a valid token without it, for the
                                   403 checks (skipped without it)
A live run is paced and bounded (see limits): it never sends more than
--max-requests requests, and stops at --deadline."""

RUN_EPILOG = """\
examples:
  nf-conformance run
  nf-conformance run --base-url https://api.northflank.com \\
      --project-id demo --job-id nightly --team-id my-team
  nf-conformance run --only NF-PAG-004 --seed 1    # one check, same requests
  nf-conformance run --expected-failures expected-failures.yaml --report-dir out

reports:
  report.json, junit.xml, report.md and report.html in --report-dir (default
  reports/latest/); each failure there shows expected, received, the request
  and a line to reproduce it. The summary and the verdict go to stderr.

exit codes:
  0  every required (MUST) check passed (SHOULD and MAY failures only warn)
  1  a required check failed, an expected-failures entry is stale, or the run
     stopped early and required checks did not run (verdict "incomplete")
  2  usage or configuration error
  3  the target cannot be reached"""

MOCK_DESCRIPTION = """\
Serve the built-in mock of "List job containers" on 127.0.0.1 until Ctrl-C or
SIGTERM. It prints the base URL, the ids and the two tokens to use (--json: one
JSON line for scripts, once the server accepts connections). --fault NAME
(repeatable) turns it into a deliberately broken server; --list-faults lists
every fault and the requirement it breaks. --configuration NAME serves another
conformant reading of the documentation (a lenient server, or one that echoes
the caller's token): the suite must pass each of them."""

MOCK_EPILOG = """\
examples:
  nf-conformance mock --port 0                     # any free port
  nf-conformance mock --fault cursor-on-last-page  # a server with a known bug
  nf-conformance mock --configuration lenient      # conformant, clamps per_page
  nf-conformance mock --list-faults"""

DIFF_DESCRIPTION = """\
Compare two report.json files (the last release's and a new run's) for release
gating: regressions (passed to failed), fixes, new and removed checks and
requirements, and the change in requests sent; warns when the two runs checked
different specs. Exit code 1 on any regression, 0 otherwise, 2 when a file
cannot be read or is not a valid report.json."""

DIFF_EPILOG = """\
example:
  nf-conformance diff last-release/report.json reports/latest/report.json \\
      --format markdown"""

HELP: dict[str, tuple[str, str]] = {  # description, epilog
    "run": (RUN_DESCRIPTION, RUN_EPILOG),
    "mock": (MOCK_DESCRIPTION, MOCK_EPILOG),
    "diff": (DIFF_DESCRIPTION, DIFF_EPILOG),
}


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written; option help wrapped without breaking at hyphens,
    so a check ID (NF-RUN-001) or a flag never splits across lines."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with our code 2 and a hint, never a traceback."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nf-conformance",
        usage="%(prog)s [-h] [--version] COMMAND ...",
        description=DESCRIPTION,
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=_Parser,
        metavar="COMMAND",
        help=argparse.SUPPRESS,  # listed in the epilog, one line each
    )
    for name, module in SUBCOMMANDS.items():
        description, epilog = HELP[name]
        command = sub.add_parser(
            name,
            prog=f"nf-conformance {name}",
            help=SUMMARIES[name],
            description=description,
            epilog=epilog,
        )
        module.configure(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = SUBCOMMANDS[args.command].main(args)
    except KeyboardInterrupt:
        print("nf-conformance: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code


if __name__ == "__main__":
    sys.exit(main())
