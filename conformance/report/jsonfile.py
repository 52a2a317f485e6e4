"""report.json: its JSON Schema, validation, reading and writing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance.json_files import read_json, schema_at, schema_problems
from conformance.report.formats import report_format

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
FORMAT_VERSION = "2"  # what the writer sets; raise it for a change old readers cannot ignore
READABLE_FORMATS = ("1", "2")  # 1: before format_version existed (read as 1 when absent)


class ReportError(Exception):
    """A report.json that cannot be read or does not match the schema. The message says why."""


def schema() -> dict[str, Any]:
    return schema_at(SCHEMA_PATH)


def problems(data: Any) -> list[str]:
    """Every way ``data`` breaks the schema, as ``path: message`` lines (empty when valid)."""
    return schema_problems(SCHEMA_PATH, data, formats=True)


def validate(data: Any, *, name: str = "report.json") -> None:
    """Raise :class:`ReportError` naming the first few problems when ``data`` is not valid."""
    found = problems(data)
    if found:
        more = f"\n  ... and {len(found) - 5} more" if len(found) > 5 else ""
        listing = "\n  ".join(found[:5])
        raise ReportError(f"{name} does not match the report schema:\n  {listing}{more}")


def load_report(path: Path | str) -> dict[str, Any]:
    """Read and validate a report.json; :class:`ReportError` (no traceback needed) otherwise."""
    path = Path(path)
    data = read_json(path, ReportError, kind="a report.json")
    loaded: dict[str, Any] = _upgraded(data, path)
    validate(loaded, name=str(path))
    return loaded


def _upgraded(data: Any, path: Path) -> Any:
    """``data`` with its format version; a report of a format this version cannot read is a
    ReportError, in one line."""
    if not isinstance(data, dict):
        return data  # the schema says what is wrong
    version = data.get("format_version", "1")
    if version not in READABLE_FORMATS:
        known = " and ".join(READABLE_FORMATS)
        raise ReportError(
            f"{path} is a report of format {version!r}, which this nf-conformance cannot read "
            f"(it reads formats {known}); compare it with the nf-conformance that wrote it"
        )
    return {"format_version": version, **data}


@report_format(kind="json", filename="report.json")
def dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
