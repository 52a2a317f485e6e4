from __future__ import annotations

import re

import pytest

from conformance.mock.cursor import RUNS_LIST, CursorState, InvalidCursor, decode, encode

STATES = [
    CursorState("containers", 0, 0, 50, 50),
    CursorState("containers", 1, 2, 1, 999_999),
    CursorState("runs", 0, RUNS_LIST, 100, 100),
    CursorState("containers", 127, 0xFFFE, 1000, 2**32 - 1),
]


@pytest.mark.parametrize("state", STATES)
def test_a_cursor_round_trips(state: CursorState) -> None:
    text = encode(state)
    assert re.fullmatch(r"[0-9a-f]{24}", text)
    assert decode(text) == state


def test_cursors_look_random() -> None:
    a = encode(CursorState("containers", 0, 0, 50, 50))
    b = encode(CursorState("containers", 0, 0, 50, 100))
    assert sum(x != y for x, y in zip(a, b, strict=True)) > 12


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0" * 24, "g" * 24, " " * 24, "00 00 00 00 00 00 00 00 ", "1" * 25, "Ab" * 12],
)
def test_malformed_cursors_are_refused(text: str) -> None:
    with pytest.raises(InvalidCursor):
        decode(text)


def test_every_altered_character_is_noticed() -> None:
    text = encode(CursorState("containers", 0, 1, 50, 150))
    for position in range(len(text)):
        digit = "0" if text[position] != "0" else "1"
        with pytest.raises(InvalidCursor):
            decode(text[:position] + digit + text[position + 1 :])
    with pytest.raises(InvalidCursor):
        decode(text.upper())
