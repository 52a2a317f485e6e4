"""Snapshot files under tests/report/snapshots/; ``UPDATE_SNAPSHOTS=1 pytest`` rewrites them."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

SNAPSHOTS = Path(__file__).with_name("snapshots")

VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<TIMESTAMP>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<SHA256>"),
    (re.compile(r"(duration:? )\d+(\.\d+)?"), r"\1<DURATION>"),
    (re.compile(r"(in )\d+(\.\d+)?( s)"), r"\1<DURATION>\3"),
    (re.compile(r"(seed:? |--seed |Seed: `)\d+"), r"\1<SEED>"),
]


def mask(text: str) -> str:
    """Replace times, durations, seeds and hashes by placeholders."""
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    masked = mask(text)
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            raise AssertionError(f"no snapshot {path}; run with UPDATE_SNAPSHOTS=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(masked, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if masked != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                masked.splitlines(keepends=True),
                fromfile=f"snapshots/{name}",
                tofile="rendered",
            )
        )
        raise AssertionError(
            f"{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites):\n{diff}"
        )
