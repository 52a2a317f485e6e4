"""JSON files: reading one with one-line errors people can act on, and judging data against a
JSON Schema file. Below everything, like evidence and exit_codes (it imports nothing of the
suite): report.json and HAR files are read and validated with it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema


def read_json(path: Path, error: type[Exception], *, kind: str) -> Any:
    """The JSON value in the file at ``path``, or ``error`` with a one-line message.

    ``cannot read PATH: why`` when the file cannot be read; else ``PATH is not <kind>: not UTF-8
    text``, or ``...: not JSON (line, column: the parser's reason)``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as failure:
        raise error(f"cannot read {path}: {failure.strerror or failure}") from None
    except UnicodeDecodeError:
        raise error(f"{path} is not {kind}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as failure:
        where = f"line {failure.lineno}, column {failure.colno}: {failure.msg}"
        raise error(f"{path} is not {kind}: not JSON ({where})") from None


@cache
def schema_at(path: Path) -> dict[str, Any]:
    """The JSON Schema in the file at ``path`` (one of the package's own), read once."""
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def schema_problems(
    path: Path, data: Any, *, formats: bool = False, longest: int | None = None
) -> list[str]:
    """Every way ``data`` breaks the Draft 2020-12 schema at ``path``, as ``where: message``
    lines in path order (empty when valid); ``formats`` also checks ``format``, ``longest``
    cuts each message."""
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER if formats else None
    validator = jsonschema.Draft202012Validator(schema_at(path), format_checker=checker)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        found.append(f"{where}: {error.message[:longest]}")
    return found
