"""Between schemathesis and the run's client: a case becomes (path, query), an exchange a Response.

schemathesis never sends anything: :func:`request_of` serialises a case the way schemathesis
would, the :class:`~conformance.target.TargetClient` sends it (budget, GET only, redaction), and
:func:`response_of` hands the exchange, as received, back to schemathesis's checks.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from schemathesis import Response

from conformance import evidence
from conformance.target import MOCK_BASE_URL

if TYPE_CHECKING:
    from schemathesis import Case

    from conformance.target import Exchange, TargetSettings

# The exchange holds the body as received and decoded: these headers no longer describe it.
_DECODED = frozenset({"content-encoding", "transfer-encoding", "content-length"})
# schemathesis copies a body it is handed, and the checks it runs here (status classes,
# acceptance of generated requests) never read it: a body past any listing's size (100
# containers are ~30 kB) goes to them empty, so a hostile 10 MB answer is not held twice.
LARGEST_BODY_HANDED_ON = 1_000_000


def base_url(settings: TargetSettings) -> str:
    return (settings.base_url or MOCK_BASE_URL).rstrip("/")


def _wire_value(value: Any) -> str:
    """One query value as sent. The client sends one value per name: a list or an object (a
    negative case's wrong type) goes as its JSON text, which is just as wrong a type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def request_of(case: Case[Any]) -> tuple[str, dict[str, str]]:
    """The path (percent-encoded) and query of ``case``, as schemathesis serialises them."""
    kwargs = case.as_transport_kwargs(base_url=MOCK_BASE_URL)  # only path and query kept
    path = urlsplit(kwargs["url"]).path
    params = kwargs.get("params") or {}
    return path, {str(name): _wire_value(value) for name, value in params.items()}


def response_of(exchange: Exchange, settings: TargetSettings) -> Response | None:
    """The exchange as schemathesis's checks read it; None when no response arrived."""
    if exchange.status is None:
        return None
    url = base_url(settings) + exchange.url
    request = httpx.Request(exchange.method, url, headers=exchange.request_headers)
    headers = [(k, v) for k, v in exchange.response_headers.items() if k not in _DECODED]
    response = httpx.Response(
        exchange.status,
        headers=headers,
        content=exchange.body if len(exchange.body) <= LARGEST_BODY_HANDED_ON else b"",
        request=request,
    )
    response.elapsed = datetime.timedelta(seconds=exchange.elapsed_s)
    converted = Response.from_httpx(response, verify=True)
    # from_httpx appends the query a second time (URL and params); set the URL as it was sent.
    converted.request.prepare_url(url, None)
    return converted


def curl(exchange: Exchange, settings: TargetSettings) -> str:
    """A command that repeats the request, the token left to the environment."""
    request = {"method": exchange.method, "url": exchange.url, "credential": exchange.credential}
    return evidence.curl(request, None if settings.is_mock else settings.base_url)
