"""The files in spec/: where they are, the requirement catalog, the fragment and its schemas.

A run may judge against another version of the fragment (``nf-conformance run --spec``):
:func:`use_fragment` switches every function here to that file for the ``with`` block only (a
context variable, so nothing leaks into the next run).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterator
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

_fragment_path: contextvars.ContextVar[Path] = contextvars.ContextVar(
    "fragment_path", default=FRAGMENT_PATH
)


class FragmentError(ValueError):
    """A fragment given with ``--spec`` that cannot be used; the message says why."""


def fragment_path() -> Path:
    """The fragment this run judges against: spec/'s, or the one :func:`use_fragment` set."""
    return _fragment_path.get()


@contextlib.contextmanager
def use_fragment(path: Path | str | None) -> Iterator[Path]:
    """Judge against the fragment at ``path`` inside the block (None: keep the current one).

    Raises :class:`FragmentError` when the file cannot be read or is not a fragment with the
    documented route.
    """
    if path is None:
        yield fragment_path()
        return
    chosen = Path(path).resolve()
    _load_fragment(chosen, _stamp(chosen))
    token = _fragment_path.set(chosen)
    try:
        yield chosen
    finally:
        _fragment_path.reset(token)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as error:
        raise FragmentError(f"cannot read {path}: {error.strerror or error}") from None
    return stat.st_mtime_ns, stat.st_size


@cache
def _load_fragment(path: Path, stamp: tuple[int, int]) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FragmentError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise FragmentError(f"{path} is not UTF-8 text; expected an OpenAPI fragment") from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise FragmentError(f"{path} is not YAML{line}; expected an OpenAPI fragment") from None
    route = loaded.get("paths", {}).get(PROJECT_ROUTE) if isinstance(loaded, dict) else None
    if not isinstance(route, dict) or not isinstance(route.get("get"), dict):
        raise FragmentError(
            f"{path} is not an OpenAPI fragment of List job containers: "
            f"it has no GET {PROJECT_ROUTE} (start from spec/{FRAGMENT_PATH.name})"
        )
    document: dict[str, Any] = loaded
    return document


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


def fragment() -> dict[str, Any]:
    """The OpenAPI fragment as a plain dict (shared: do not mutate it)."""
    path = fragment_path()
    return _load_fragment(path, _stamp(path))


def fragment_sha256() -> str:
    return hashlib.sha256(fragment_path().read_bytes()).hexdigest()


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
        raise ValueError(f"circular $ref {ref!r} in {fragment_path().name}")
    target = _inline(_pointer(ref), (*seen, ref))
    siblings = {key: _inline(value, seen) for key, value in node.items() if key != "$ref"}
    return {**target, **siblings}


def _pointer(ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported in {fragment_path().name}, got {ref!r}")
    node: Any = fragment()
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(key)] if isinstance(node, list) else node[key]
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"$ref {ref!r} points at nothing in {fragment_path().name}") from None
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
    return copy.deepcopy(_schema_for(fragment_path(), _response_key(status)))


def _response_key(status: int) -> str:
    responses = operation()["responses"]
    if str(status) in responses:
        return str(status)
    if status >= 400:
        return "400"
    documented = ", ".join(sorted(responses))
    raise ValueError(f"status {status!r} has no body schema; documented: {documented}")


@cache
def _schema_for(path: Path, key: str) -> dict[str, Any]:
    """The schema for ``key`` in the fragment at ``path`` (cached per fragment)."""
    response = resolve(operation()["responses"][key])
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


@cache
def _validator(path: Path, key: str) -> Draft202012Validator:
    schema = _schema_for(path, key)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_body(status: int, body: object) -> list[str]:
    """Every way ``body`` breaks the schema for ``status``, as ``$.path: message``; [] if valid.

    A small body's messages are remembered (the same page is often judged by several checks,
    and the mutation matrix sees the same pages in thousands of runs)."""
    path, key = fragment_path(), _response_key(status)
    text = json.dumps(body, separators=(",", ":"))
    remembered = (path, key, text) if len(text) <= _MEMO_MAX_CHARS else None
    if remembered is not None and (found := _MEMO.get(remembered)) is not None:
        _MEMO.move_to_end(remembered)
        return list(found)
    errors = _validator(path, key).iter_errors(body)
    messages = [_shorten(m) for m in sorted(f"{e.json_path}: {e.message}" for e in errors)]
    if remembered is not None:
        _MEMO[remembered] = tuple(messages)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return messages


_MEMO: OrderedDict[tuple[Path, str, str], tuple[str, ...]] = OrderedDict()
_MEMO_SIZE = 512  # bodies
_MEMO_MAX_CHARS = 64_000  # at most 32 MB remembered


def _shorten(message: str) -> str:
    if len(message) <= _MAX_MESSAGE:
        return message
    return message[: _MAX_MESSAGE - 1] + "…"
