"""The one fault registry (faults/base.py): a fault's hooks in code, its words in catalog.yaml;
a fault without its entry, an entry without its fault, a duplicate name, an unknown hook or a
malformed entry fails at import time and names it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.mock.faults import base
from conformance.mock.faults.base import Entry, fault, read_catalog, require_every_entry_claimed
from conformance.mock.faults.registry import FAULTS

MADE_UP = Entry("REQ-PAG-MADE-UP", "a made-up fault")


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register into copies of the registry and the entries: the real ones stay as they are."""
    for name in ("ENTRIES", "REGISTERED", "_DEFINED_AT"):
        monkeypatch.setattr(base, name, dict(getattr(base, name)))


def _hook(ctx: Any, window: Any) -> Any:
    return window


def test_every_entry_is_claimed_and_every_fault_has_its_words() -> None:
    require_every_entry_claimed()
    assert list(FAULTS) == [name for name in base.ENTRIES if name in FAULTS]
    assert all(f.description == base.ENTRIES[f.name].description for f in FAULTS.values())


@pytest.mark.usefixtures("scratch")
def test_a_fault_registers_with_its_entrys_words() -> None:
    base.ENTRIES["made-up"] = MADE_UP
    fault("made-up", hook="window")(_hook)
    made = base.REGISTERED["made-up"]
    assert (made.requirement, made.description, made.window) == (
        "REQ-PAG-MADE-UP",
        "a made-up fault",
        _hook,
    )


@pytest.mark.usefixtures("scratch")
def test_a_fault_without_its_entry_fails() -> None:
    with pytest.raises(TypeError, match=r"fault 'made-up' has no entry in catalog\.yaml"):
        fault("made-up", hook="window")


@pytest.mark.usefixtures("scratch")
def test_an_entry_no_fault_claims_fails() -> None:
    base.ENTRIES["made-up"] = MADE_UP
    with pytest.raises(TypeError, match="entries no @fault claims: made-up"):
        require_every_entry_claimed()


@pytest.mark.usefixtures("scratch")
def test_a_duplicate_name_fails_and_names_both_places() -> None:
    base.ENTRIES["made-up"] = MADE_UP
    fault("made-up", hook="window")(_hook)
    with pytest.raises(RuntimeError, match=r"duplicate fault name 'made-up': .*_hook and .*_hook"):
        fault("made-up", hook="window")(_hook)


@pytest.mark.usefixtures("scratch")
def test_an_unknown_hook_fails() -> None:
    base.ENTRIES["made-up"] = MADE_UP
    with pytest.raises(TypeError, match=r"unknown hook\(s\) \['windw'\]"):
        fault("made-up", hook="windw")


@pytest.mark.parametrize(
    "entry",
    ["{requirement: REQ-PAG-X}", "{requirement: REQ-PAG-X, description: x, level: MUST}", "x"],
)
def test_a_malformed_entry_fails_and_names_the_fault(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(f"faults:\n  made-up: {entry}\n", encoding="utf-8")
    with pytest.raises(TypeError, match=r"catalog\.yaml: fault 'made-up' needs requirement and"):
        read_catalog(path)
