"""The files in spec/: where they are, the requirement catalog, the fragment and its schemas."""

from __future__ import annotations

import copy
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from conformance.catalog import Level, Requirement, Source


def _find_spec_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "spec", here / "_spec"):
        if (candidate / "requirements.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"spec/ not found beside {here}; reinstall northflank-conformance")


SPEC_DIR = _find_spec_dir()
FRAGMENT_PATH = SPEC_DIR / "job-containers.openapi.yaml"
REQUIREMENTS_PATH = SPEC_DIR / "requirements.yaml"
SOURCE_PAGE_PATH = SPEC_DIR / "source" / "list-job-containers.txt"

PROJECT_ROUTE = "/v1/projects/{projectId}/jobs/{jobId}/containers"
TEAM_ROUTE = "/v1/teams/{teamId}/projects/{projectId}/jobs/{jobId}/containers"
RUNS_ROUTE = "/v1/projects/{projectId}/jobs/{jobId}/runs"
OPERATION_ID = "getJobContainers"
TEAM_OPERATION_ID = "getTeamJobContainers"
#: Operations with this tag are under test; those tagged ``discovery`` only help find run IDs.
UNDER_TEST_TAG = "jobs"
DISCOVERY_TAG = "discovery"

MAX_PER_PAGE = 100  # the documented largest page: per_page's maximum in the fragment

_MAX_MESSAGE = 300


@cache
def requirements() -> dict[str, Requirement]:
    """The requirement catalog, by ID, in file order."""
    raw = yaml.safe_load(REQUIREMENTS_PATH.read_text(encoding="utf-8"))
    return {
        entry["id"]: Requirement(
            id=entry["id"],
            level=Level(entry["level"]),
            source=Source(entry["source"]),
            ref=entry["ref"],
            quote=entry["quote"],
        )
        for entry in raw["requirements"]
    }


@cache
def fragment() -> dict[str, Any]:
    """The OpenAPI fragment as a plain dict (shared: do not mutate it)."""
    loaded: dict[str, Any] = yaml.safe_load(FRAGMENT_PATH.read_text(encoding="utf-8"))
    return loaded


def fragment_sha256() -> str:
    return hashlib.sha256(FRAGMENT_PATH.read_bytes()).hexdigest()


def operation() -> dict[str, Any]:
    """The GET operation of the documented project route, as written (``$ref``s kept)."""
    return _operation(PROJECT_ROUTE)


def team_operation() -> dict[str, Any]:
    """The GET operation of the team-scoped route the official clients use, as written."""
    return _operation(TEAM_ROUTE)


def _operation(route: str) -> dict[str, Any]:
    found: dict[str, Any] = copy.deepcopy(fragment()["paths"][route]["get"])
    return found


def resolve(node: Any) -> Any:
    """A deep copy of ``node`` with every local ``$ref`` of the fragment inlined.

    Keywords beside a ``$ref`` (OpenAPI 3.1 allows them) override the referenced ones.
    """
    return _inline(node, ())


def _inline(node: Any, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref is None:
        return {key: _inline(value, seen) for key, value in node.items()}
    if ref in seen:
        raise ValueError(f"circular $ref {ref!r} in {FRAGMENT_PATH.name}")
    target = _inline(_pointer(ref), (*seen, ref))
    siblings = {key: _inline(value, seen) for key, value in node.items() if key != "$ref"}
    return {**target, **siblings}


def _pointer(ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported in {FRAGMENT_PATH.name}, got {ref!r}")
    node: Any = fragment()
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(key)] if isinstance(node, list) else node[key]
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"$ref {ref!r} points at nothing in {FRAGMENT_PATH.name}") from None
    return node


def query_parameters() -> dict[str, dict[str, Any]]:
    """The operation's query parameters, resolved, by name (per_page, page, cursor, runId)."""
    params = resolve(operation()["parameters"])
    return {param["name"]: param for param in params if param["in"] == "query"}


def required_permissions() -> tuple[str, ...]:
    """Every name the required permission goes by (documentation page first, then the SDK's)."""
    return tuple(operation()["x-required-permission"])


def documented_example() -> dict[str, Any]:
    """The documentation page's example response, as the fragment's 200 example holds it."""
    examples = resolve(operation()["responses"]["200"]["content"]["application/json"]["examples"])
    value: dict[str, Any] = examples["documented"]["value"]
    return value


def response_schema(status: int) -> dict[str, Any]:
    """The JSON Schema (every ``$ref`` inlined) of the body for ``status``.

    200 and the documented 4xx statuses come from the operation; any other status >= 400 gets the
    Northflank error body, which both official clients parse for every error.
    """
    return copy.deepcopy(_schema_for(_response_key(status)))


def _response_key(status: int) -> str:
    responses = operation()["responses"]
    if str(status) in responses:
        return str(status)
    if status >= 400:
        return "400"
    documented = ", ".join(sorted(responses))
    raise ValueError(f"status {status!r} has no body schema; documented: {documented}")


@cache
def _schema_for(key: str) -> dict[str, Any]:
    response = resolve(operation()["responses"][key])
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


@cache
def _validator(key: str) -> Draft202012Validator:
    schema = _schema_for(key)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_body(status: int, body: object) -> list[str]:
    """Every way ``body`` breaks the schema for ``status``, as ``$.path: message``; [] if valid."""
    errors = _validator(_response_key(status)).iter_errors(body)
    messages = sorted(f"{error.json_path}: {error.message}" for error in errors)
    return [_shorten(message) for message in messages]


def _shorten(message: str) -> str:
    if len(message) <= _MAX_MESSAGE:
        return message
    return message[: _MAX_MESSAGE - 1] + "…"
