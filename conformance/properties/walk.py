"""The stateful part: follow pages through the fragment's cursor link, as a tool reading it would.

The link is read from the fragment (the 200 response's ``links`` entry that takes
``$response.body#/pagination/cursor`` into the ``cursor`` query parameter), and each next request
is exactly what the link's parameters say, evaluated against the previous request and response.
A walk is bounded: it stops at the last page, at a repeated cursor or container, at a page it
cannot read, or after ``max_steps`` requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from conformance import spec
from conformance.properties.generate import Planned

if TYPE_CHECKING:
    from schemathesis import APIOperation

    from conformance.context import Route
    from conformance.properties.run import Sent

CURSOR_SOURCE = "$response.body#/pagination/cursor"
WalkOutcome = Literal["end", "cap", "error", "loop", "repeat", "no-cursor"]


class _Missing:
    """An expression that names nothing in this request or response."""


MISSING = _Missing()


@dataclass(frozen=True)
class Link:
    """An OpenAPI link of the 200 response: target parameter ('query.cursor') -> expression."""

    name: str
    parameters: dict[str, str]

    def evaluate(
        self, path: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[dict[str, str], dict[str, str]] | None:
        """The next request's path parameters and query; None when the response gives no value
        for a parameter the link takes from it (no cursor: the link cannot be followed)."""
        next_path: dict[str, str] = {}
        next_query: dict[str, str] = {}
        for target, expression in self.parameters.items():
            location, _, name = target.rpartition(".")
            value = evaluate(expression, path, query, body)
            if isinstance(value, _Missing):
                if expression.startswith("$response."):
                    return None
                continue  # e.g. $request.query.runId of a request without runId
            container = next_path if (location or _location(name, path)) == "path" else next_query
            container[name] = value if isinstance(value, str) else json.dumps(value)
        return next_path, next_query


def _location(name: str, path: dict[str, str]) -> str:
    return "path" if name in path else "query"


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.lstrip("/").split("/") if pointer not in ("", "/") else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return MISSING
    return MISSING if node is None else node


def evaluate(expression: str, path: dict[str, str], query: dict[str, str], body: Any) -> Any:
    """An OpenAPI runtime expression of the forms the fragment's links use."""
    if not expression.startswith("$"):
        return expression  # a constant
    if expression.startswith("$request.path."):
        return path.get(expression.removeprefix("$request.path."), MISSING)
    if expression.startswith("$request.query."):
        return query.get(expression.removeprefix("$request.query."), MISSING)
    if expression.startswith("$response.body#"):
        return _pointer(body, expression.removeprefix("$response.body#"))
    raise ValueError(f"runtime expression {expression!r} is not supported by the walk")


def next_page_link(route: Route) -> Link:
    """The fragment's link from pagination.cursor back into the same operation."""
    op = spec.operation() if route == "project" else spec.team_operation()
    links = spec.resolve(op["responses"]["200"].get("links", {}))
    for name, link in links.items():
        parameters = link.get("parameters", {})
        same_operation = link.get("operationId") == op["operationId"]
        if same_operation and CURSOR_SOURCE in parameters.values():
            return Link(name, dict(parameters))
    raise LookupError(
        f"{spec.FRAGMENT_PATH.name}: the {route} route's 200 response has no link taking "
        f"{CURSOR_SOURCE} into its own cursor parameter"
    )


def _names(body: dict[str, Any]) -> list[str]:
    containers = body["data"].get("containers")
    items = containers if isinstance(containers, list) else []
    return [
        item["name"]
        if isinstance(item, dict) and isinstance(item.get("name"), str)
        else json.dumps(item, sort_keys=True, default=str)
        for item in items
    ]


@dataclass
class WalkResult:
    route: Route
    per_page: int
    link: str
    steps: list[Sent] = field(default_factory=list)
    outcome: WalkOutcome = "cap"
    problem: str = ""

    @property
    def ended(self) -> bool:
        return self.outcome == "end"

    def describe(self) -> str:
        return (
            f"cursor-link walk ({self.link}) of the {self.route} route at per_page={self.per_page}"
        )


def walk(
    op: APIOperation[Any, Any, Any, Any],
    route: Route,
    first: tuple[dict[str, str], dict[str, str]],
    send: Callable[[Planned], Sent],
    max_steps: int,
) -> WalkResult:
    """Request the first page, then follow the link until the last page or ``max_steps``."""
    link = next_page_link(route)
    path, query = first
    result = WalkResult(route, int(query.get("per_page", 0)), link.name)
    cursors: dict[str, int] = {}
    names: dict[str, int] = {}
    for step in range(1, max_steps + 1):
        case = op.Case(path_parameters=dict(path), query=dict(query))
        sent = send(Planned("walk", route, case, f"{result.describe()}, step {step}"))
        result.steps.append(sent)
        body = sent.exchange.json
        readable = isinstance(body, dict) and all(
            isinstance(body.get(key), dict) for key in ("data", "pagination")
        )
        if sent.exchange.status != 200 or not readable:
            result.outcome = "error"
            result.problem = f"step {step} answered {sent.exchange.status}, not a readable page"
            return result
        for name in _names(body):
            if name in names:
                result.outcome = "repeat"
                result.problem = f"step {step} repeats container {name!r} of step {names[name]}"
                return result
            names[name] = step
        if body["pagination"].get("hasNextPage") is not True:
            result.outcome = "end"
            return result
        following = link.evaluate(path, sent.exchange.params, body)
        if following is None:
            result.outcome = "no-cursor"
            result.problem = f"step {step} has hasNextPage true but no cursor to follow"
            return result
        path, query = following
        cursor = query.get("cursor", "")
        if cursor in cursors:
            result.outcome = "loop"
            result.problem = f"step {step} hands back the cursor of step {cursors[cursor]}"
            return result
        cursors[cursor] = step
    result.outcome = "cap"
    result.problem = f"hasNextPage still true after {max_steps} requests"
    return result
