"""Error bodies: JSON, in the shape both official clients parse, with a status that agrees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Scope, check
from conformance.checks._common import judge_each, require
from conformance.spec import validate_body

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange


def _errors(ctx: CheckContext) -> list[Exchange]:
    found = ctx.listing_errors()
    require(found, "no error response was received in this run")
    return found


def _not_json(exchange: Exchange) -> str | None:
    content_type = exchange.response_headers.get("content-type") or "no content-type"
    if exchange.json is None:
        error = exchange.json_error or ""
        why = f": {error}" if error and not error.startswith("not JSON") else ""  # cut short...
        return f"{exchange.status} body is not JSON ({content_type}){why}"
    if not exchange.is_json:
        return f"{exchange.status} with content-type {content_type!r}"
    return None


@check("NF-ERR-001", scope=Scope.RESPONSES)
def error_bodies_are_json(ctx: CheckContext) -> None:
    """A non-JSON error body makes the JS client throw instead of reporting the error."""
    judge_each(_errors(ctx), _not_json, expected="an application/json error body", noun="errors")


def _not_northflank_shape(exchange: Exchange) -> str | None:
    messages = validate_body(exchange.status or 0, exchange.json)
    error = exchange.json.get("error") if isinstance(exchange.json, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if not messages and not (isinstance(message, str) and message.strip()):
        messages = ["$.error.message: is empty"]
    return "; ".join(messages[:3])


@check("NF-ERR-002", scope=Scope.RESPONSES)
def error_bodies_have_northflank_shape(ctx: CheckContext) -> None:
    """Both official clients read error.message; without it users see no reason at all."""
    exchanges = [e for e in _errors(ctx) if e.json is not None]
    require(exchanges, "no JSON error response was received in this run")
    judge_each(
        exchanges,
        _not_northflank_shape,
        expected='{"error": {"message": <non-empty string>, ...}}',
        noun="errors",
    )


def _status_differs(exchange: Exchange) -> str | None:
    body = exchange.json
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or "status" not in error:
        return None
    if error["status"] != exchange.status or isinstance(error["status"], bool):
        return f"error.status={error['status']!r} on a {exchange.status} response"
    return None


@check("NF-ERR-003", scope=Scope.RESPONSES)
def error_status_matches_http_status(ctx: CheckContext) -> None:
    """The clients take the status line's code; a different error.status misleads readers."""
    judge_each(
        _errors(ctx),
        _status_differs,
        expected="error.status equal to the HTTP status code",
        noun="errors",
    )
