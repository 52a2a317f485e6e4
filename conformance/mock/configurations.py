"""Named configurations of the mock: other conformant servers, where the documentation leaves a
choice open.

The clean mock is one reading of the documentation: strict (any invalid per_page or page is a
400). These are others that keep every documented promise too, so the whole suite must pass each
of them (tests/mock/test_configurations.py): lenient servers that clamp or fall back instead of
rejecting, and one that echoes the caller's token back (in a body field, a response header and
inside its cursors), which the suite must still send back verbatim and never write anywhere.

A configuration uses the same hooks as a fault (faults/base.py) but breaks no requirement; it
is applied before any fault, and ``create_app(configuration=NAME)`` selects it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from starlette.responses import Response

from conformance.mock.faults.base import Fault
from conformance.mock.fixture import Job
from conformance.mock.model import Body, Ctx, Fallback, Limits, Query, Selection, Window

ECHO_HEADER = "x-echo-token"
ECHO_FIELD = "echo"
_CURSOR_SEPARATOR = "."
GROWTH = 86  # containers the latest run of growing-latest-run gains, one every 3 requests


@dataclass(frozen=True)
class Configuration:
    """A named conformant variant of the mock: what it does, and the hooks that do it."""

    name: str
    description: str
    hooks: Fault


class UnknownConfiguration(ValueError):
    """A configuration name that is not in :data:`CONFIGURATIONS`."""


def _fallbacks(per_page: Fallback = "reject", page: Fallback = "reject") -> Fault:
    def limits(ctx: Ctx, given: Limits) -> Limits:
        return replace(given, per_page_fallback=per_page, page_fallback=page)

    return Fault("", "", "", limits=limits)


def caller_token(ctx: Ctx) -> str | None:
    """The token of the request's Authorization header (with or without its Bearer scheme)."""
    header = (ctx.authorization or "").strip()
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer":
        return token.strip() or None
    return header or None


def _echo_in_body(ctx: Ctx, window: Window, body: Body) -> Body:
    body[ECHO_FIELD] = {"token": caller_token(ctx)}
    return body


def _echo_in_header(ctx: Ctx, response: Response) -> Response:
    token = caller_token(ctx)
    if token is not None:
        response.headers[ECHO_HEADER] = token
    return response


def _token_in_cursor(ctx: Ctx, text: str) -> str:
    return f"{caller_token(ctx)}{_CURSOR_SEPARATOR}{text}"


def _token_out_of_cursor(ctx: Ctx, text: str) -> str:
    """The cursor as issued, if it comes back verbatim; anything else stays undecodable (400)."""
    prefix = f"{caller_token(ctx)}{_CURSOR_SEPARATOR}"
    return text.removeprefix(prefix) if text.startswith(prefix) else text


def _run_id_any_case(ctx: Ctx, query: Query) -> Query:
    """runId matched as a UUID column matches it: in any letter case, named as the run's own."""
    return replace(query, run_id=query.run_id.lower()) if query.run_id else query


def _latest_run_grows(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    """A run still running gains containers: one more every third request the app answers, up
    to GROWTH more (the 12-container run stays within one page of 100)."""
    if selection is None or selection.run != job.latest_run or selection.run.status != "RUNNING":
        return selection
    count = selection.run.container_count + min(ctx.sequence // 3, GROWTH)
    grown = replace(selection.run, container_count=count)
    return Selection(grown, selection.echo_run_id)


_ALL = [
    Configuration(
        "lenient-per-page-clamp",
        "per_page outside 1..100 is clamped into it (not a number: the default, 50)",
        _fallbacks(per_page="clamp"),
    ),
    Configuration(
        "lenient-per-page-default",
        "any invalid per_page (0, -1, 101, abc) falls back to the default page size, 50",
        _fallbacks(per_page="default"),
    ),
    Configuration(
        "lenient-page-first",
        "any invalid page (0, -1, abc) falls back to the first page",
        _fallbacks(page="default"),
    ),
    Configuration(
        "lenient",
        "every lenient reading at once: per_page clamped, an invalid page read as the first",
        _fallbacks(per_page="clamp", page="default"),
    ),
    Configuration(
        "run-id-any-case",
        "runId is matched in any letter case (a UUID column); data.runId is the run's own id",
        Fault("", "", "", query=_run_id_any_case),
    ),
    Configuration(
        "growing-latest-run",
        "the latest run is still running and gains a container every third request",
        Fault("", "", "", select=_latest_run_grows),
    ),
    Configuration(
        "echo-token",
        "echoes the caller's token in a body field, a response header and inside every cursor",
        Fault(
            "",
            "",
            "",
            payload=_echo_in_body,
            response=_echo_in_header,
            cursor_out=_token_in_cursor,
            cursor_in=_token_out_of_cursor,
        ),
    ),
]

CONFIGURATIONS: dict[str, Configuration] = {config.name: config for config in _ALL}
LENIENT = tuple(name for name in CONFIGURATIONS if name.startswith("lenient"))


def select_configuration(name: str | None) -> Fault | None:
    """The hooks of configuration ``name`` (None: the clean mock); names close matches."""
    if name is None:
        return None
    found = CONFIGURATIONS.get(name)
    if found is None:
        close = difflib.get_close_matches(name, CONFIGURATIONS, n=3)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise UnknownConfiguration(f"Unknown configuration {name!r}.{hint}")
    return found.hooks
