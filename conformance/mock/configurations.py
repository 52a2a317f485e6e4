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
from conformance.mock.model import Body, Ctx, Fallback, Limits, Window

ECHO_HEADER = "x-echo-token"
ECHO_FIELD = "echo"
_CURSOR_SEPARATOR = "."


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
