"""diff: not built yet."""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    del parser


def main(args: argparse.Namespace) -> int:
    del args
    print("nf-conformance diff: not yet implemented; nothing was checked.", file=sys.stderr)
    return 2
