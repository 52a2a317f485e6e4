"""Permissions: who may list a job's containers, and what everyone else gets to see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Scope, Violation, check
from conformance.checks import _probes
from conformance.checks._common import (
    fail_if_any,
    is_client_error,
    require,
    require_team,
    wrong_status,
)
from conformance.target import Credential
from conformance.walker import Page

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from conformance.context import CheckContext, Route
    from conformance.target import Exchange

MIN_NAME_LENGTH = 8  # shorter names could appear in any message by chance


def _routes(ctx: CheckContext) -> list[Route]:
    return ["project", "team"] if ctx.settings.team_id else ["project"]


def _expect_401(ctx: CheckContext, credential: Credential, what: str) -> None:
    """MUST: refused (a 4xx: the permission is required); SHOULD: with 401 (RFC 9110)."""
    advice: list[tuple[Exchange, str]] = []
    for route in _routes(ctx):
        exchange = ctx.fetch(route=route, credential=credential)
        if exchange.status == 401:
            continue
        if not is_client_error(exchange):
            raise wrong_status(
                exchange, expected=f"a refusal (401) for {what} on the {route} route"
            )
        if exchange.status == 400 and credential is Credential.MALFORMED:
            advice.append((exchange, "400 for a malformed Authorization header (RFC 6750 lets it)"))
        else:
            advice.append((exchange, f"{exchange.status} for {what} on the {route} route"))
    if advice:
        raise Advisory(
            f"{advice[0][1]}: refused, as it must be; 401 is what the official clients and "
            "RFC 9110 lead callers to expect",
            evidence=advice[0][0].excerpt(),
        )


@check("NF-PRM-001")
def missing_token_unauthorized(ctx: CheckContext) -> None:
    """Container names and run ids are not public: an anonymous caller must be turned away."""
    _expect_401(ctx, Credential.NONE, "a request without Authorization")


@check("NF-PRM-002")
def malformed_token_unauthorized(ctx: CheckContext) -> None:
    """A header that is not 'Bearer <token>' carries no credentials and must not pass."""
    _expect_401(ctx, Credential.MALFORMED, "'Authorization: Bearer' without a token")


@check("NF-PRM-003")
def unknown_token_unauthorized(ctx: CheckContext) -> None:
    """A well-formed token the target never issued must not be accepted."""
    _expect_401(ctx, Credential.UNKNOWN, "a bearer token the target never issued")


@check("NF-PRM-004")
def restricted_token_forbidden(ctx: CheckContext) -> None:
    """The endpoint is gated on View Instance Logs; other valid tokens must be refused."""
    if not ctx.settings.restricted_token:
        raise NotRun(
            "no restricted token: set NF_CONFORMANCE_RESTRICTED_TOKEN to a valid token without "
            "the View Instance Logs permission"
        )
    for route in _routes(ctx):
        exchange = ctx.fetch(route=route, credential=Credential.RESTRICTED)
        if exchange.status == 403:
            continue
        if exchange.status == 404:
            raise Advisory(
                f"404 for the restricted token on the {route} route: RFC 9110 allows hiding a "
                "forbidden resource, but 403 tells the caller what is wrong",
                evidence=exchange.excerpt(),
            )
        if is_client_error(exchange):
            raise Advisory(
                f"{exchange.status} for the restricted token on the {route} route: refused, as "
                "it must be; 403 is the HTTP status for a valid token without the permission",
                evidence=exchange.excerpt(),
            )
        raise wrong_status(
            exchange,
            expected=f"a refusal (403) for a token without the permission on the {route} route",
        )


@check("NF-PRM-007")
def token_without_bearer_scheme_unauthorized(ctx: CheckContext) -> None:
    """Accepting a bare token is lenient, not harmful, so this warns: the documented form is
    'Authorization: Bearer <token>'."""
    exchange = ctx.fetch(credential=Credential.NO_SCHEME)
    if exchange.status == 401:
        return
    if exchange.status == 400:
        raise Advisory(
            "400 for an Authorization header without a scheme; 401 is the HTTP convention",
            evidence=exchange.excerpt(),
        )
    raise wrong_status(
        exchange, expected="401 for 'Authorization: <token>' without the Bearer scheme"
    )


def _leak(exchange: Exchange, names: AbstractSet[str]) -> str | None:
    body = exchange.json
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and data.get("containers"):
        return f"{exchange.status} body carries data.containers"
    if isinstance(data, dict) and ("containers" in data or "runId" in data):
        return f"{exchange.status} body carries the listing's data object"
    text = exchange.body.decode("utf-8", errors="replace")
    leaked = sorted(name for name in names if len(name) >= MIN_NAME_LENGTH and name in text)
    if leaked:
        return f"{exchange.status} body names container {leaked[0]!r}"
    return None


@check("NF-PRM-005", scope=Scope.RESPONSES)
def error_bodies_carry_no_data(ctx: CheckContext) -> None:
    """A refused request must not hand out, inside its error body, the data it was refused."""
    exchanges = ctx.listing_errors()
    require(exchanges, "no error response was received in this run")
    names = ctx.known_names()
    unpermitted: list[tuple[Exchange, str]] = []  # 401/403: no permission, MUST
    others: list[tuple[Exchange, str]] = []  # other errors: a permitted caller, SHOULD
    for exchange in exchanges:
        leak = _leak(exchange, names)
        if leak:
            (unpermitted if exchange.status in (401, 403) else others).append((exchange, leak))
    fail_if_any(
        unpermitted,
        expected="a 401/403 body without containers or container names",
        out_of=len(exchanges),
        noun="errors",
    )
    if others:
        exchange, leak = others[0]
        raise Advisory(
            f"{leak} ({len(others)} of {len(exchanges)} errors): an error body should carry "
            "no container data",
            evidence=exchange.excerpt(),
        )


@check("NF-PRM-006")
def team_route_matches_project_route(ctx: CheckContext) -> None:
    """The official clients switch to the team route whenever a teamId is given."""
    require_team(ctx)
    params = {"runId": ctx.walk_run_id(), "per_page": 100}
    project = Page.parse(ctx.fetch(params))
    team = Page.parse(ctx.fetch(params, route="team"))
    differences = _probes.route_differences(team, project)
    if differences:
        raise Violation(
            expected="the same listing on both routes (cursor values may differ)",
            received=f"team vs project route: {differences}",
            evidence=[team.exchange.excerpt(), project.exchange.excerpt()],
        )
    problem = _probes.routes_differ(ctx)  # every page of every probe, on both routes
    if problem is not None:
        raise Violation(problem.expected, problem.received, evidence=problem.evidence)
