"""The mock's authentication and permission decisions (401, 403)."""

from __future__ import annotations

from conformance.mock.fixture import MOCK_TOKEN
from conformance.mock.model import Access, ApiError, Ctx

PERMISSION = "Project > Jobs > Deployment > View Instance Logs"


def authenticate(ctx: Ctx) -> Access:
    """What the request's Authorization header allows: the full token, the restricted, or none."""
    scheme, _, token = (ctx.authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or token.strip() not in ctx.tokens:
        return Access.UNAUTHENTICATED
    return Access.GRANTED if token.strip() == MOCK_TOKEN else Access.RESTRICTED


def unauthenticated(ctx: Ctx) -> ApiError:
    """The 401, saying whether the header is missing, malformed or holds an unknown token."""
    return ApiError(401, _unauthenticated_message(ctx), "unauthenticated")


def forbidden() -> ApiError:
    """The 403 for a valid token without :data:`PERMISSION`."""
    message = f"The API token lacks the permission {PERMISSION!r} on this project"
    return ApiError(403, message, "forbidden")


def _unauthenticated_message(ctx: Ctx) -> str:
    header = (ctx.authorization or "").strip()
    if not header:
        return "No API token: send the header 'Authorization: Bearer <token>'"
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "Malformed Authorization header: expected 'Bearer <token>'"
    return "The API token is invalid or has been revoked"
