"""Body shape: every 200 listing the run receives, on every page of every walk, vs the fragment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from conformance.catalog import check
from conformance.spec import validate_body

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.target import Exchange
    from conformance.walker import Page

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


@check("NF-SCH-001")
def listing_bodies_match_schema(ctx: CheckContext, page: Page) -> str | None:
    """Clients generated from the documentation fail on any body that does not match it."""
    if page.exchange.status != 200:
        return None
    messages = [m for m in _schema_messages(ctx, page.exchange) if not _BYOC_PATH.match(m)]
    return "; ".join(messages[:3])


@check("NF-SCH-002")
def byoc_fields_typed(ctx: CheckContext, page: Page) -> str | None:
    """The official clients type these optional fields as strings (ipAddresses: a list of them)."""
    if page.exchange.status != 200 or page.exchange.json is None:
        return None
    messages = [m for m in _schema_messages(ctx, page.exchange) if _BYOC_PATH.match(m)]
    return "; ".join(messages[:3])
