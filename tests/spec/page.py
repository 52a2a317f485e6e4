"""Reads the documentation page (spec/source/list-job-containers.txt) into its statements.

The page is the text of a rendered documentation page: section headings at column 0, then an
indented tree of bullets ("• name"), each followed by its type line ("string required"), its
description and its constraints ("min" / "1", "one of" / "A, B"). Anything the parser does not
recognise raises PageFormatError, so a redesigned page cannot pass the drift test by parsing
into nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

BULLET = "•"
HEADINGS = ("Required permission", "Path parameters", "Query parameters", "Response body")
SECTION_ENDS = (*HEADINGS, "API")  # "API" starts the route and example part
ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S+)$")
PROSE_MAXIMUM = re.compile(r"Maximum of (\d+)\b")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
TYPE_WORDS = {"{object}": "object", "[array]": "array"}


class PageFormatError(Exception):
    """The page no longer has the structure this parser knows."""


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces, as quotes and descriptions are compared."""
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(normalize(text)) if part]


@dataclass(frozen=True)
class Item:
    """One bullet of the page: a parameter, a response field or an anonymous ``{object}``."""

    name: str
    path: str
    type_line: str
    description: str
    constraints: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] | None = None
    children: tuple[Item, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.name in TYPE_WORDS

    @property
    def type(self) -> str:
        word = self.type_line.split()[0]
        return TYPE_WORDS.get(word, word)

    @property
    def required(self) -> bool:
        return "required" in self.type_line.split()[1:]

    @property
    def head(self) -> str:
        """The item's opening words as the page puts them: ``"createdAt integer required"``."""
        return self.name if self.anonymous else f"{self.name} {self.type_line}"

    def walk(self) -> list[Item]:
        """This item and every item below it, parents first."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


@dataclass(frozen=True)
class Page:
    title: str
    summary: str
    permission: str
    path_parameters: tuple[Item, ...]
    query_parameters: tuple[Item, ...]
    body: Item
    route: str
    example_status: str
    example_description: str
    example: Any = field(compare=False)


@dataclass
class _Node:
    name: str
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def parse(text: str) -> Page:
    """The page's statements; PageFormatError names what is not where it should be."""
    lines = text.splitlines()
    starts = {heading: _heading_index(lines, heading) for heading in HEADINGS}
    example_at = _heading_index(lines, "Example response")
    body_roots = _tree(_block(lines, starts["Response body"]))
    if len(body_roots) != 1:
        raise PageFormatError(f"Response body has {len(body_roots)} top-level items, expected 1")
    status, description, example = _example(lines, example_at)
    return Page(
        title=lines[0].split(" | ")[0].strip(),
        summary=_previous_text(lines, starts["Required permission"]),
        permission=_next_text(lines, starts["Required permission"]),
        path_parameters=tuple(
            _item(n, "") for n in _tree(_block(lines, starts["Path parameters"]))
        ),
        query_parameters=tuple(
            _item(n, "") for n in _tree(_block(lines, starts["Query parameters"]))
        ),
        body=_item(body_roots[0], None),
        route=_route(lines),
        example_status=status,
        example_description=description,
        example=example,
    )


def _heading_index(lines: list[str], heading: str) -> int:
    for index, line in enumerate(lines):
        if line == heading:
            return index
    raise PageFormatError(f"heading {heading!r} not found at the start of any line")


def _next_text(lines: list[str], index: int) -> str:
    return next(line.strip() for line in lines[index + 1 :] if line.strip())


def _previous_text(lines: list[str], index: int) -> str:
    return next(line.strip() for line in reversed(lines[:index]) if line.strip())


def _block(lines: list[str], heading: int) -> list[str]:
    """The indented lines under a heading, up to the next heading (the next line at column 0)."""
    block: list[str] = []
    for line in lines[heading + 1 :]:
        if line.strip() and not line[0].isspace():
            if line not in SECTION_ENDS:
                raise PageFormatError(f"{lines[heading]}: unexpected line at column 0: {line!r}")
            break
        block.append(line)
    return block


def _tree(block: list[str]) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[tuple[int, _Node]] = []
    for line in block:
        text = line.strip()
        if not text:
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if text.startswith(BULLET):
            node = _Node(text.removeprefix(BULLET).strip())
            (stack[-1][1].children if stack else roots).append(node)
            stack.append((indent, node))
        elif stack:
            stack[-1][1].lines.append(text)
        else:
            raise PageFormatError(f"text outside any bullet: {text!r}")
    return roots


def _item(node: _Node, parent: str | None) -> Item:
    if node.name in TYPE_WORDS:
        type_line, rest = node.name, node.lines
    elif node.lines:
        type_line, rest = node.lines[0], node.lines[1:]
    else:
        raise PageFormatError(f"item {node.name!r} has no type line")
    path = _path(node.name, parent)
    description: list[str] = []
    constraints: list[str] = []
    minimum = maximum = None
    enum = None
    lines = iter(rest)
    for line in lines:
        if line in ("min", "max", "one of"):
            value = next(lines, None)
            if value is None:
                raise PageFormatError(f"{path or 'body'}: {line!r} with no value after it")
            constraints.append(f"{line} {value}")
            if line == "one of":
                enum = tuple(part.strip() for part in value.split(","))
            elif not value.isdigit():
                raise PageFormatError(f"{path or 'body'}: {line} {value!r} is not a number")
            elif line == "min":
                minimum = int(value)
            else:
                maximum = int(value)
        else:
            description.append(line)
    text = normalize(" ".join(description))
    prose = PROSE_MAXIMUM.search(text)
    if prose and maximum is None:
        maximum = int(prose.group(1))
    children = tuple(_item(child, path) for child in node.children)
    return Item(
        node.name, path, type_line, text, tuple(constraints), minimum, maximum, enum, children
    )


def _path(name: str, parent: str | None) -> str:
    if parent is None:
        return ""
    if name in TYPE_WORDS:
        return f"{parent}[]"
    return f"{parent}.{name}" if parent else name


def _route(lines: list[str]) -> str:
    routes = [line.strip() for line in lines if ROUTE.match(line.strip())]
    if len(routes) != 1:
        raise PageFormatError(f"expected one route line (GET /v1/...), found {routes!r}")
    return routes[0]


def _example(lines: list[str], heading: int) -> tuple[str, str, Any]:
    following = [line.strip() for line in lines[heading + 1 :] if line.strip()]
    if len(following) < 4 or following[2] != "JSON":
        raise PageFormatError("Example response: expected a status line, a description, 'JSON'")
    text = "\n".join(lines[heading + 1 :])
    start = text.find("{", text.find("\nJSON"))
    try:
        example, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise PageFormatError(f"Example response: the JSON does not parse: {exc}") from None
    return following[0], following[1], example
