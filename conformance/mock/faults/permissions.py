"""Faults in authentication and permission (REQ-PRM-*)."""

from __future__ import annotations

from dataclasses import replace

from conformance.mock.faults._common import on_access, on_status
from conformance.mock.faults.base import fault
from conformance.mock.model import Access, Ctx, Window


def _is_token(ctx: Ctx, value: str | None) -> bool:
    return value is not None and value in ctx.tokens


def _bearer_value(ctx: Ctx) -> str | None:
    header = (ctx.authorization or "").split()
    return header[-1] if header else None


fault("auth-not-enforced", hook="access")(on_access(Access.UNAUTHENTICATED, Access.GRANTED))
fault("restricted-token-allowed", hook="access")(on_access(Access.RESTRICTED, Access.GRANTED))


@fault("bearer-scheme-unchecked", hook="access")
def _any_scheme(ctx: Ctx, access: Access) -> Access:
    if access is not Access.UNAUTHENTICATED:
        return access
    value = _bearer_value(ctx)
    if _is_token(ctx, value):
        return Access.GRANTED if value == ctx.tokens[0] else Access.RESTRICTED
    return access


@fault("team-route-reversed", hook="window")
def _team_route_reversed(ctx: Ctx, window: Window) -> Window:
    if not ctx.team_route:
        return window
    return replace(window, order=lambda position, total: total - 1 - position)


fault("restricted-token-401", hook="error")(on_status(403, 401))
