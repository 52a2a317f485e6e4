"""What the documentation page says that the fragment or the requirement catalog does not.

Compared, for every parameter and every response field on the page:
- fragment: present at the same place (parameter ``in``; property path, ``items`` for arrays),
  same type, same required flag, the page's description quoted in the fragment's ``description``,
  ``min`` / ``max`` (also "Maximum of N" in prose) equal to ``minimum`` / ``maximum``, and
  ``one of`` values equal to ``enum`` (both ways);
- catalog: some requirement quotes the item's opening ``"<name> <type line> <first sentence>"``;
  every further sentence and every constraint (``"min 1"``, ``"one of A, B"``) is quoted by a
  requirement about the item (one quoting its opening, or whose ref names the item's section and
  path, e.g. ``"Query parameters / per_page"``).
The other way round: a parameter of the fragment must be on the page, and a response property
not on the page must name, in ``x-requirements``, a requirement from another source (BYOC fields).
Also the title, summary, permission, route and example response, in both places.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.catalog import Requirement, Source
from tests.spec.page import Item, Page, normalize, sentences

SECTIONS = {"path": "Path parameters", "query": "Query parameters", "body": "Response body"}


def drift(
    page: Page,
    operation: dict[str, Any],
    routes: Iterable[str],
    requirements: Iterable[Requirement],
) -> list[str]:
    """Every difference, one message each; ``operation`` has its ``$ref``s resolved."""
    catalog = _Catalog(requirements)
    problems: list[str] = []
    problems += _page_level(page, operation, set(routes), catalog)
    for location, items in (("path", page.path_parameters), ("query", page.query_parameters)):
        params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == location}
        for item in items:
            problems += _parameter(location, item, params.get(item.name))
            problems += catalog.coverage(f"{location} parameter {item.name!r}", item, location)
        on_page = {item.name for item in items}
        problems += [
            f"{location} parameter {name!r} in the fragment is not on the page"
            for name in params
            if name not in on_page
        ]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    problems += _field(page.body, ok, None, catalog)
    for item in page.body.walk():
        problems += catalog.coverage(_label(item), item, "body")
    return problems


def _page_level(
    page: Page, operation: dict[str, Any], routes: set[str], catalog: _Catalog
) -> list[str]:
    problems: list[str] = []
    if operation.get("summary") != page.title:
        problems.append(f"title {page.title!r}: the fragment's summary is {operation['summary']!r}")
    if not _contains(operation.get("description"), page.summary):
        problems.append(f"summary {page.summary!r}: missing from the operation's description")
    if page.permission not in operation.get("x-required-permission", []):
        problems.append(f"permission {page.permission!r}: missing from x-required-permission")
    if page.route not in routes:
        problems.append(f"route {page.route!r}: missing from the fragment's paths")
    ok = operation["responses"]["200"]
    if not _contains(ok.get("description"), page.example_description):
        problems.append(
            f"example description {page.example_description!r}: not the 200 response's description"
        )
    examples = ok["content"]["application/json"].get("examples", {})
    if page.example not in [example.get("value") for example in examples.values()]:
        problems.append("example response: the page's JSON is not among the 200 examples")
    statements = {
        "permission": page.permission,
        "route": page.route,
        "example response": f"{page.example_status} {page.example_description}",
    }
    for what, text in statements.items():
        if not catalog.quoted(text):
            problems.append(f"{what} {text!r}: not quoted by any requirement")
    return problems


def _parameter(location: str, item: Item, param: dict[str, Any] | None) -> list[str]:
    label = f"{location} parameter {item.name!r}"
    if param is None:
        return [f"{label} ({item.type_line}): missing from the fragment"]
    problems: list[str] = []
    if bool(param.get("required", False)) != item.required:
        problems.append(_required_message(label, item.required))
    return problems + _compare(label, item, {**param.get("schema", {}), **_described(param)})


def _described(node: dict[str, Any]) -> dict[str, Any]:
    return {"description": node["description"]} if "description" in node else {}


def _field(
    item: Item, schema: dict[str, Any], parent: dict[str, Any] | None, catalog: _Catalog
) -> list[str]:
    label = _label(item)
    problems = _compare(label, item, schema)
    if parent is not None and not item.anonymous:
        in_fragment = item.name in parent.get("required", [])
        if in_fragment != item.required:
            problems.append(_required_message(label, item.required))
    for child in item.children:
        if child.anonymous:
            found = schema.get("items")
        else:
            found = schema.get("properties", {}).get(child.name)
        if found is None:
            problems.append(f"{_label(child)} ({child.type_line}): missing from the fragment")
        else:
            problems += _field(child, found, schema, catalog)
    on_page = {child.name for child in item.children}
    for name, extra in schema.get("properties", {}).items():
        if name not in on_page and not catalog.undocumented(extra.get("x-requirements", [])):
            where = f"{item.path}.{name}" if item.path else name
            problems.append(
                f"response field {where!r} in the fragment is not on the page and names no "
                "requirement from another source in x-requirements"
            )
    return problems


def _compare(label: str, item: Item, schema: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if schema.get("type") != item.type:
        problems.append(f"{label}: {item.type} on the page, {schema.get('type')!r} in the fragment")
    if item.description and not _contains(schema.get("description"), item.description):
        problems.append(f"{label}: description {item.description!r} missing from the fragment")
    for word, keyword, value in (
        ("min", "minimum", item.minimum),
        ("max", "maximum", item.maximum),
    ):
        if value is not None and schema.get(keyword) != value:
            problems.append(
                f"{label}: {word} {value} on the page, {keyword} {schema.get(keyword)!r} "
                "in the fragment"
            )
    if item.enum is not None:
        in_fragment = schema.get("enum", [])
        problems += [
            f"{label}: enum value {value!r} is missing from the fragment"
            for value in item.enum
            if value not in in_fragment
        ]
        problems += [
            f"{label}: enum value {value!r} in the fragment is not on the page"
            for value in in_fragment
            if value not in item.enum
        ]
    return problems


def _required_message(label: str, required: bool) -> str:
    if required:
        return f"{label}: required on the page, optional in the fragment"
    return f"{label}: optional on the page, required in the fragment"


def _label(item: Item) -> str:
    return f"response field {item.path!r}" if item.path else "response body"


def _contains(haystack: object, needle: str) -> bool:
    return isinstance(haystack, str) and normalize(needle) in normalize(haystack)


class _Catalog:
    def __init__(self, requirements: Iterable[Requirement]) -> None:
        self.entries = [(req, normalize(req.quote)) for req in requirements]

    def undocumented(self, ids: list[str]) -> bool:
        """Whether ``ids`` name a requirement that rests on something other than the page."""
        return any(req.id in ids and req.source != Source.DOCUMENTED for req, _ in self.entries)

    def quoted(self, text: str) -> bool:
        return any(normalize(text) in quote for _, quote in self.entries)

    def coverage(self, label: str, item: Item, location: str) -> list[str]:
        """The item's statements no requirement quotes."""
        parts = sentences(item.description)
        opening = normalize(" ".join([item.head, *parts[:1]]))
        if not self.quoted(opening):
            return [f"{label}: {opening!r} is not quoted by any requirement"]
        about = [
            quote
            for req, quote in self.entries
            if opening in quote or self._names(req.ref, item, location)
        ]
        return [
            f"{label}: {text!r} is not quoted by any requirement about {item.name!r}"
            for text in [*parts[1:], *item.constraints]
            if not any(normalize(text) in quote for quote in about)
        ]

    @staticmethod
    def _names(ref: str, item: Item, location: str) -> bool:
        """Whether ``ref`` points at the item: ``"<page>: <section> / <path suffix>"``."""
        if " / " not in ref or SECTIONS[location] not in ref or item.anonymous:
            return False
        tail = ref.rsplit(" / ", 1)[1].strip()
        return item.path == tail or item.path.endswith(f".{tail}")
