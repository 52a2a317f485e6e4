"""A HAR 1.2 file: its JSON Schema, validation, reading (with errors people can act on), writing.

``har.schema.json`` beside this module is HAR 1.2 as the specification has it (custom fields
start with an underscore). A recording nf-conformance can replay also carries
``log._conformance`` (seed, spec, target ids, settings) and ``_credential`` on every entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance.json_files import read_json, schema_at, schema_problems

SCHEMA_PATH = Path(__file__).with_name("har.schema.json")
HAR_VERSION = "1.2"


class HarError(Exception):
    """A HAR file that cannot be read or replayed; the message says why in one line."""


def schema() -> dict[str, Any]:
    return schema_at(SCHEMA_PATH)


def problems(data: Any) -> list[str]:
    """Every way ``data`` breaks HAR 1.2, as ``path: message`` lines (empty when valid)."""
    return schema_problems(SCHEMA_PATH, data, longest=200)


def dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def load_har(path: Path | str) -> dict[str, Any]:
    """Read a recording nf-conformance can replay; :class:`HarError` with the reason otherwise."""
    path = Path(path)
    data = read_json(path, HarError, kind="a HAR file")
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
