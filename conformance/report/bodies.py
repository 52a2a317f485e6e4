"""Response bodies as people read them in a report: JSON indented, long ones shown in part.

Only whitespace between JSON tokens changes: strings, numbers and key order stay exactly what
the target sent (``json.dumps(json.loads(...))`` would turn ``1.10`` into ``1.1`` and drop a
duplicate key, which is evidence too). A body the suite cut to its evidence limit (ending in
``…``) is still indented; any other body that is not JSON is shown verbatim.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

INDENT = "  "
CUT_MARK = "…"
COLLAPSE_CHARS = 3000  # a body longer than this (a few KB) shows a preview and a "show all"
COLLAPSE_LINES = 80  # likewise for a body of more lines than this
PREVIEW_LINES = 24  # the preview: this many lines, at most COLLAPSE_CHARS characters


@dataclass(frozen=True)
class Body:
    """A body ready to show: its text, whether it is JSON, and the part to show first."""

    text: str
    is_json: bool
    preview: str | None  # None when the whole body is short enough to show at once

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    @property
    def size(self) -> str:
        """Its size for a "show all" label, e.g. '4.2 KB' or '812 bytes'."""
        length = len(self.text.encode("utf-8"))
        return f"{length / 1024:.1f} KB" if length >= 1024 else f"{length} bytes"


def looks_like_json(text: str) -> bool:
    """Valid JSON, or JSON the suite cut short: an object or array, whole or cut."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except RecursionError:  # nested past what json reads: shown as it came, not indented
        return False
    except ValueError:
        return stripped.endswith(CUT_MARK)
    return True


def indent_json(text: str) -> str:
    """``text`` with one token per line where JSON allows it, two spaces per level.

    A tokenizer, not a parser: it needs no valid document, so a cut body indents as far as it
    goes. Whitespace inside strings is kept; between two bare tokens one space is kept.
    """
    out: list[str] = []
    depth = 0
    in_string = escaped = gap = after_token = False
    chars = text.strip()
    for index, char in enumerate(chars):
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char.isspace():
            gap = True
            continue
        if char in "{[":
            closing = "}" if char == "{" else "]"
            out.append(char)
            depth += 1
            if _next_token(chars, index + 1) != closing:  # an empty {} or [] stays as it is
                out.append("\n" + INDENT * depth)
        elif char in "}]":
            depth = max(depth - 1, 0)
            if out and out[-1] in "{[":
                out.append(char)
            else:
                out.append("\n" + INDENT * depth + char)
        elif char == ",":
            out.append(",\n" + INDENT * depth)
        elif char == ":":
            out.append(": ")
        else:
            if gap and after_token:
                out.append(" ")  # `1 2` stays two tokens, never `12`
            out.append(char)
            in_string = char == '"'
            after_token, gap = True, False
            continue
        after_token = gap = False
    return "".join(out)


def _next_token(text: str, start: int) -> str:
    for char in text[start:]:
        if not char.isspace():
            return char
    return ""


def readable(body: str) -> Body:
    """The body to show: indented when it is JSON, with a preview when it is long."""
    is_json = looks_like_json(body)
    text = indent_json(body) if is_json else body
    lines = text.splitlines()
    preview = None
    if len(lines) > COLLAPSE_LINES or len(text) > COLLAPSE_CHARS:
        head = "\n".join(lines[:PREVIEW_LINES])[:COLLAPSE_CHARS]
        preview = head + "\n" + CUT_MARK
    return Body(text=text, is_json=is_json, preview=preview)
