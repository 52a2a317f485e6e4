"""Body shape: every 200 listing the run receives, on every page of every walk, vs the fragment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from conformance.catalog import Level, Scope, check
from conformance.checks._common import fail_if_any, require
from conformance.spec import validate_body

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange

BYOC_FIELDS = ("nodeName", "nodePoolUserId", "nodePoolProviderId", "host", "ipAddresses")
_BYOC_PATH = re.compile(r"^\$\.data\.containers\[\d+\]\.(" + "|".join(BYOC_FIELDS) + r")\b")


def _schema_messages(ctx: CheckContext, exchange: Exchange) -> list[str]:
    """Every schema problem of a 200 body, computed once per exchange for both checks."""
    if exchange.json is None:
        return [f"$: body is not JSON ({exchange.json_error or 'unparseable'})"]
    key = ("schema-messages", id(exchange))
    if key not in ctx.cache:
        ctx.cache[key] = (exchange, validate_body(200, exchange.json))  # keeps id() unique
    messages: list[str] = ctx.cache[key][1]
    return messages


def _successes(ctx: CheckContext) -> list[Exchange]:
    found = [e for e in ctx.listing_exchanges() if e.status == 200]
    require(found, "no 200 listing was received in this run")
    return found


@check(
    id="NF-SCH-001",
    title="Every 200 listing body matches the documented schema",
    requirements=[
        "REQ-SCH-BODY",
        "REQ-SCH-DATA",
        "REQ-SCH-CONTAINERS",
        "REQ-SCH-CONTAINERS-OPTIONAL",
        "REQ-SCH-NAME",
        "REQ-SCH-CREATED-AT",
        "REQ-SCH-STATUS",
        "REQ-SCH-UPDATED-AT",
        "REQ-SCH-RUN-ID",
        "REQ-SCH-PAGINATION",
        "REQ-SCH-HAS-NEXT-PAGE",
        "REQ-SCH-CURSOR",
        "REQ-SCH-COUNT",
    ],
    level=Level.MUST,
    scope=Scope.RESPONSES,
)
def listing_bodies_match_schema(ctx: CheckContext) -> None:
    """Clients generated from the documentation fail on any body that does not match it."""
    exchanges = _successes(ctx)
    problems = []
    for exchange in exchanges:
        messages = [m for m in _schema_messages(ctx, exchange) if not _BYOC_PATH.match(m)]
        if messages:
            problems.append((exchange, "; ".join(messages[:3])))
    fail_if_any(
        problems,
        expected="a body matching JobContainersResponse in spec/job-containers.openapi.yaml",
        out_of=len(exchanges),
    )


@check(
    id="NF-SCH-002",
    title="BYOC container fields, when present, have their documented types",
    requirements=["REQ-SCH-BYOC-FIELDS"],
    level=Level.SHOULD,
    scope=Scope.RESPONSES,
)
def byoc_fields_typed(ctx: CheckContext) -> None:
    """The official clients type these optional fields as strings (ipAddresses: a list of them)."""
    exchanges = [e for e in _successes(ctx) if e.json is not None]
    problems = []
    for exchange in exchanges:
        messages = [m for m in _schema_messages(ctx, exchange) if _BYOC_PATH.match(m)]
        if messages:
            problems.append((exchange, "; ".join(messages[:3])))
    fail_if_any(
        problems,
        expected=f"{', '.join(BYOC_FIELDS[:4])} strings and ipAddresses a list of strings",
        out_of=len(exchanges),
    )
