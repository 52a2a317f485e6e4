"""The helpers the check modules share (checks/_common.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks._common import status_text
from conformance.target import Credential, Exchange

LISTING = Exchange("GET", "/v1/x", {}, Credential.PRIMARY, {}, 200, {}, b"{}", {})


@pytest.mark.parametrize(
    ("exchange", "shown"),
    [
        (LISTING, "200"),
        (
            replace(LISTING, json=None, json_error="body cut short after 10 bytes"),
            "200, body cut short after 10 bytes",
        ),
        (LISTING.without_body(), "200"),  # judged and let go: nothing wrong with it
        (replace(LISTING, status=404, json=None, json_error="empty body"), "404"),
        (replace(LISTING, status=None, error="timed out"), "no response (timed out)"),
    ],
)
def test_a_status_says_why_a_200_is_no_listing(exchange: Exchange, shown: str) -> None:
    assert status_text(exchange) == shown
