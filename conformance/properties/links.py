"""The stateful part: follow pages through the fragment's cursor link, as a tool reading it would.

The link is read from the fragment (the 200 response's ``links`` entry that takes
``$response.body#/pagination/cursor`` into the ``cursor`` query parameter), and each next request
is exactly what the link's parameters say, evaluated against the previous request and response.
The walking itself is the one walker's (:func:`conformance.walker.walk_pages`), with
:func:`link_follow` as its next-request strategy: it stops at the last page, at a repeated cursor
or page, at a page it cannot read, or after ``max_steps`` requests, and notes a repeated
container.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from conformance import spec
from conformance.properties.generate import Planned
from conformance.walker import Follow, Next, Page, Walk, walk_pages

if TYPE_CHECKING:
    from schemathesis import APIOperation

    from conformance.context import Route
    from conformance.properties.generate import Sent

CURSOR_SOURCE = "$response.body#/pagination/cursor"


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


@dataclass
class LinkWalk:
    """A walk of one route that follows the fragment's link: the walk, and what was sent."""

    route: Route
    link: str
    walk: Walk
    steps: list[Sent] = field(default_factory=list)

    def describe(self) -> str:
        size = self.walk.per_page
        return f"cursor-link walk ({self.link}) of the {self.route} route at per_page={size}"


PathAndQuery = tuple[dict[str, str], dict[str, str]]


def link_follow(link: Link, sent: list[Sent]) -> Follow[PathAndQuery]:
    """The next request is what the link's parameters say, evaluated against the last request
    sent and its response."""

    def follow(page: Page, number: int) -> Next[PathAndQuery]:
        last = sent[-1]
        path = dict(last.case.path_parameters or {})
        following = link.evaluate(path, last.exchange.params, page.exchange.json)
        if following is None:
            return Next(None, problem="hasNextPage is true but there is no cursor to follow")
        return Next(following, cursor=following[1].get("cursor", ""))

    return follow


def walk(
    op: APIOperation[Any, Any, Any, Any],
    route: Route,
    first: PathAndQuery,
    send: Callable[[Planned], Sent],
    max_steps: int,
) -> LinkWalk:
    """Request the first page, then follow the link until the last page or ``max_steps``."""
    link = next_page_link(route)
    query = first[1]
    per_page = int(query.get("per_page", 0)) or None
    result = LinkWalk(route, link.name, Walk("cursor", query.get("runId"), per_page, None))

    def read(request: PathAndQuery) -> Page:
        path, query = request
        case = op.Case(path_parameters=dict(path), query=dict(query))
        step = len(result.steps) + 1
        sent = send(Planned("walk", route, case, f"{result.describe()}, step {step}"))
        result.steps.append(sent)
        return Page.parse(sent.exchange)

    walk_pages(result.walk, first, read, link_follow(link, result.steps), _kept, max_steps)
    return result


def _kept(page: Page) -> Page:
    return page  # a link walk is short: every page stays evidence
