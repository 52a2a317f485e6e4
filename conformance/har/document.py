"""A HAR 1.2 file: its JSON Schema, validation, reading (with errors people can act on), writing.

``har.schema.json`` beside this module is HAR 1.2 as the specification has it (custom fields
start with an underscore). A recording nf-conformance can replay also carries
``log._conformance`` (seed, spec, target ids, settings) and ``_credential`` on every entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_PATH = Path(__file__).with_name("har.schema.json")
HAR_VERSION = "1.2"


class HarError(Exception):
    """A HAR file that cannot be read or replayed; the message says why in one line."""


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def problems(data: Any) -> list[str]:
    """Every way ``data`` breaks HAR 1.2, as ``path: message`` lines (empty when valid)."""
    validator = jsonschema.Draft202012Validator(schema())
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        found.append(f"{where}: {error.message[:200]}")
    return found


def dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def load_har(path: Path | str) -> dict[str, Any]:
    """Read a recording nf-conformance can replay; :class:`HarError` with the reason otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise HarError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise HarError(f"{path} is not a HAR file: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise HarError(
            f"{path} is not a HAR file: not JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    log = data.get("log") if isinstance(data, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("entries"), list):
        raise HarError(f"{path} is not a HAR file: no log.entries (expected HAR 1.2 JSON)")
    version = log.get("version")
    if version != HAR_VERSION:
        raise HarError(f"{path} is HAR version {version!r}; only HAR {HAR_VERSION} can be replayed")
    found = problems(data)
    if found:
        more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
        raise HarError(f"{path} is not valid HAR 1.2: {found[0]}{more}")
    if not isinstance(log.get("_conformance"), dict):
        raise HarError(
            f"{path} was not recorded by nf-conformance (no log._conformance); "
            "record one with: nf-conformance run ... --record PATH.har"
        )
    loaded: dict[str, Any] = data
    return loaded
