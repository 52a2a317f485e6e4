"""spec/requirements.yaml is well formed: unique, well-named IDs, each with a source and a quote."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from conformance import spec
from conformance.catalog import REQUIREMENT_ID, Level, Source

KEYS = {"id", "level", "source", "ref", "quote"}


def problems(entries: list[Any]) -> list[str]:
    """Everything wrong with a list of catalog entries, one message each."""
    found: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            found.append(f"entry {index}: {entry!r} is not a mapping")
            continue
        name = entry.get("id", f"entry {index}")
        if set(entry) != KEYS:
            found.append(f"{name}: keys {sorted(entry)!r}, expected {sorted(KEYS)!r}")
        if not isinstance(name, str) or not REQUIREMENT_ID.match(name):
            found.append(f"{name!r}: not of the form REQ-<AREA>-<NAME>")
        if entry.get("level") not in {level.value for level in Level}:
            found.append(f"{name}: level {entry.get('level')!r} is not MUST, SHOULD or MAY")
        if entry.get("source") not in {source.value for source in Source}:
            found.append(f"{name}: source {entry.get('source')!r} is not one of {list(Source)}")
        for key in ("quote", "ref"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                found.append(f"{name}: {key} {value!r} is empty")
    counts = Counter(entry.get("id") for entry in entries if isinstance(entry, dict))
    found += [f"{name}: appears {count} times" for name, count in counts.items() if count > 1]
    return found


def raw_entries() -> list[Any]:
    loaded = yaml.safe_load(spec.REQUIREMENTS_PATH.read_text(encoding="utf-8"))
    assert set(loaded) == {"requirements"}
    entries: list[Any] = loaded["requirements"]
    return entries


def test_the_catalog_is_well_formed() -> None:
    entries = raw_entries()
    assert len(entries) > 40
    assert problems(entries) == []
    assert list(spec.requirements()) == [entry["id"] for entry in entries]


GOOD = {
    "id": "REQ-SCH-NAME",
    "level": "MUST",
    "source": "documented",
    "ref": "page",
    "quote": "q",
}


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([GOOD], []),
        ([GOOD, GOOD], ["REQ-SCH-NAME: appears 2 times"]),
        ([{**GOOD, "id": "REQ-FOO-BAR"}], ["'REQ-FOO-BAR': not of the form REQ-<AREA>-<NAME>"]),
        ([{**GOOD, "id": "REQ-SCH-name"}], ["'REQ-SCH-name': not of the form REQ-<AREA>-<NAME>"]),
        (
            [{**GOOD, "level": "MUST NOT"}],
            ["REQ-SCH-NAME: level 'MUST NOT' is not MUST, SHOULD or MAY"],
        ),
        ([{**GOOD, "quote": "  "}], ["REQ-SCH-NAME: quote '  ' is empty"]),
        ([{**GOOD, "ref": None}], ["REQ-SCH-NAME: ref None is empty"]),
        (
            [{**GOOD, "note": "x"}],
            [
                "REQ-SCH-NAME: keys ['id', 'level', 'note', 'quote', 'ref', 'source'], expected "
                "['id', 'level', 'quote', 'ref', 'source']"
            ],
        ),
    ],
)
def test_problems_names_each_broken_entry(entries: list[Any], expected: list[str]) -> None:
    assert problems(entries) == expected


def test_problems_rejects_an_unknown_source() -> None:
    (message,) = problems([{**GOOD, "source": "blog"}])
    assert message.startswith("REQ-SCH-NAME: source 'blog' is not one of")
