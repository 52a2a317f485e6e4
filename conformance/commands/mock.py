"""Serve the built-in mock of "List job containers" on 127.0.0.1 until interrupted.

Prints the base URL, the ids and the two tokens to use (``--json``: one JSON line for scripts,
printed once the server accepts connections). ``--fault NAME`` (repeatable) turns the mock into
a deliberately broken server, ``--fault NAME@SCOPE`` one broken on some code paths only
(``@team``, ``@cursor,last``: see conformance/mock/faults/scope.py); ``--list-faults`` lists them.
``--configuration NAME`` serves another conformant reading of the documentation instead
(conformance/mock/configurations.py: lenient servers, one that echoes the caller's token).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from conformance.exit_codes import EXIT_OK, EXIT_USAGE
from conformance.mock.app import create_app
from conformance.mock.configurations import (
    CONFIGURATIONS,
    UnknownConfiguration,
    select_configuration,
)
from conformance.mock.faults import UnknownFault, describe_faults, select_faults
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import PortUnavailable, serve_until_signalled


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


def _port(text: str) -> int:
    value = _non_negative(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {text!r}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=_port, default=8765, help="port on 127.0.0.1 (0: any free port)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME[@SCOPE]",
        help="break the mock on purpose (repeatable; see --list-faults); @SCOPE limits it to "
        "cells of the path matrix, e.g. cursor-ignored@team or count-is-total@cursor,last",
    )
    parser.add_argument(
        "--configuration",
        default=None,
        metavar="NAME",
        help="serve another conformant reading of the documentation: "
        + "; ".join(f"{c.name}: {c.description}" for c in CONFIGURATIONS.values()),
    )
    parser.add_argument(
        "--containers",
        type=_non_negative,
        default=None,
        metavar="N",
        help="containers in the latest run (default 12; for scale tests)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_positive,
        default=None,
        metavar="N",
        help="enforce N requests per hour (429 with Retry-After beyond it)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON line for scripts instead of text"
    )
    parser.add_argument(
        "--list-faults", action="store_true", help="list the faults (name, requirement, what)"
    )


def _describe(base_url: str, fixture: Fixture, faults: list[str], configuration: str | None) -> str:
    lines = [
        f"nf-conformance mock serving on {base_url}",
        f"  team:    {fixture.team_id}",
        f"  project: {fixture.project_id}",
        f"  job:     {fixture.job_id} (runs, newest first: {', '.join(fixture.run_ids)})",
        f"  another job: {fixture.second_job_id}",
        f"  token:            {MOCK_TOKEN}",
        f"  restricted token: {MOCK_RESTRICTED_TOKEN}",
    ]
    if configuration:
        lines.append(f"  configuration: {configuration}")
    if faults:
        lines.append(f"  faults: {', '.join(faults)}")
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    if args.list_faults:
        try:
            print("\n".join(describe_faults()), flush=True)
        except BrokenPipeError:  # `| head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    try:
        select_faults(args.fault)
    except UnknownFault as error:
        print(f"nf-conformance mock: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        select_configuration(args.configuration)
    except UnknownConfiguration as error:
        names = ", ".join(CONFIGURATIONS)
        print(f"nf-conformance mock: {error} Configurations: {names}.", file=sys.stderr)
        return EXIT_USAGE
    fixture = Fixture.default(containers=args.containers)
    app = create_app(
        fixture, args.fault, rate_limit=args.rate_limit, configuration=args.configuration
    )

    def ready(base_url: str) -> None:
        if args.json:
            summary = {
                "base_url": base_url,
                "team_id": fixture.team_id,
                "project_id": fixture.project_id,
                "job_id": fixture.job_id,
                "run_ids": fixture.run_ids,
                "token": MOCK_TOKEN,
                "restricted_token": MOCK_RESTRICTED_TOKEN,
            }
            print(json.dumps(summary), flush=True)
        else:
            print(_describe(base_url, fixture, args.fault, args.configuration), flush=True)

    try:
        serve_until_signalled(app, args.port, ready)
    except PortUnavailable as error:
        print(f"nf-conformance mock: {error}. Try another --port, or --port 0.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
