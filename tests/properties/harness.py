"""Running the property checks against the mock (clean, with faults, or wrapped in a miniature)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

import conformance.properties.property_checks as property_checks
from conformance import runner
from conformance.catalog import CHECKS, Check
from conformance.context import CheckContext
from conformance.options import RunOptions, mock_target
from conformance.properties.run import PropertyRun, configure, property_run
from conformance.results import CheckResult, Status
from conformance.target import Exchange, TargetSettings, open_client

PROPERTY_CHECKS: list[Check] = sorted(
    (c for c in CHECKS.values() if c.func.__module__ == property_checks.__name__),
    key=lambda c: c.id,
)


@dataclass
class Outcome:
    results: dict[str, CheckResult]
    run: PropertyRun
    exchanges: list[Exchange]
    requests_sent: int
    settings: TargetSettings
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def status(self, check_id: str) -> Status:
        return self.results[check_id].status

    def not_passed(self) -> dict[str, str]:
        return {
            cid: result.status.value
            for cid, result in self.results.items()
            if result.status is not Status.PASSED
        }

    def urls(self) -> list[str]:
        return [f"{exchange.method} {exchange.url}" for exchange in self.exchanges]


def run_properties(
    faults: Iterable[str] = (),
    *,
    seed: int = 0,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
    settings: Callable[[TargetSettings], TargetSettings] | None = None,
    options: dict[str, Any] | None = None,
    team: bool = True,
) -> Outcome:
    """Every property check, in ID order, against the in-process mock as `nf-conformance run`
    sets it up (its ids, team route, a multi-page run id)."""
    target = mock_target(RunOptions(), faults=faults)
    target_settings = target.settings if team else replace(target.settings, team_id=None)
    if settings is not None:
        target_settings = settings(target_settings)
    assert target.app is not None
    app = wrap(target.app) if wrap else target.app
    with open_client(target_settings, app) as client:
        ctx = CheckContext(client=client, seed=seed)
        if options:
            configure(ctx, **options)
        results = {check.id: runner.run_check(check, ctx) for check in PROPERTY_CHECKS}
        return Outcome(
            results,
            property_run(ctx),
            list(client.exchanges),
            client.requests_sent,
            target_settings,
            seed,
        )


def query_rewriter(
    rewrite: Callable[[list[tuple[str, str]]], list[tuple[str, str]]],
) -> Callable[[ASGIApp], ASGIApp]:
    """A miniature: the mock behind a front that rewrites the query string first."""
    from urllib.parse import parse_qsl, urlencode

    def wrap(app: ASGIApp) -> ASGIApp:
        async def front(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                raw = scope.get("query_string", b"").decode("latin-1")
                pairs = parse_qsl(raw, keep_blank_values=True)
                scope = {**scope, "query_string": urlencode(rewrite(pairs)).encode()}
            await app(scope, receive, send)

        return front

    return wrap
