"""The ``nf-conformance`` entry point. Each subcommand lives in conformance/commands/ and returns
an exit code: 0 conformant, 1 a required check failed, 2 usage or configuration error,
3 target unreachable."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from conformance import __version__
from conformance.commands import diff, mock, run
from conformance.exit_codes import EXIT_INTERRUPTED, EXIT_USAGE

SUBCOMMANDS: dict[str, ModuleType] = {"run": run, "mock": mock, "diff": diff}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with our code 2 and a hint, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nf-conformance", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, module in SUBCOMMANDS.items():
        doc = (module.__doc__ or "").strip()
        command = sub.add_parser(name, help=doc.splitlines()[0] if doc else None, description=doc)
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
