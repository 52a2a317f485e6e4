"""Body shape: every 200 listing the run receives, on every page of every walk, vs the fragment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from conformance.catalog import Each, Level, check
from conformance.spec import validate_body

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange
    from conformance.walker import Page, Walk

BYOC_FIELDS = ("nodeName", "nodePoolUserId", "nodePoolProviderId", "host", "ipAddresses")
NO_SUCCESS = "no 200 listing was received in this run"
_BYOC_PATH = re.compile(r"^\$\.data\.containers\[\d+\]\.(" + "|".join(BYOC_FIELDS) + r")\b")


def _schema_messages(ctx: CheckContext, exchange: Exchange) -> list[str]:
    """Every schema problem of a 200 body, computed once per exchange for both judges."""
    if exchange.json is None:
        return [f"$: body is not JSON ({exchange.json_error or 'unparseable'})"]
    last = ctx.cache.get("schema-messages")  # only the latest exchange: the judges run in turn
    if last is None or last[0] is not exchange:
        last = ctx.cache["schema-messages"] = (exchange, validate_body(200, exchange.json))
    messages: list[str] = last[1]
    return messages


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
    each=Each(
        expected="a body matching JobContainersResponse in spec/job-containers.openapi.yaml",
        nothing_to_judge="no 200 listing was received in this run",
    ),
)
def listing_bodies_match_schema(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    """Clients generated from the documentation fail on any body that does not match it."""
    if page.exchange.status != 200:
        return None
    messages = [m for m in _schema_messages(ctx, page.exchange) if not _BYOC_PATH.match(m)]
    return "; ".join(messages[:3])


@check(
    id="NF-SCH-002",
    title="BYOC container fields, when present, have their documented types",
    requirements=["REQ-SCH-BYOC-FIELDS"],
    level=Level.SHOULD,
    each=Each(
        expected=f"{', '.join(BYOC_FIELDS[:4])} strings and ipAddresses a list of strings",
        nothing_to_judge="no 200 JSON listing was received in this run",
    ),
)
def byoc_fields_typed(ctx: CheckContext, page: Page, walk: Walk | None) -> str | None:
    """The official clients type these optional fields as strings (ipAddresses: a list of them)."""
    if page.exchange.status != 200 or page.exchange.json is None:
        return None
    messages = [m for m in _schema_messages(ctx, page.exchange) if _BYOC_PATH.match(m)]
    return "; ".join(messages[:3])
