"""A listing that never ends costs one capped walk: other walks to its end are not made."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conformance.catalog import NotRun
from conformance.context import CheckContext
from conformance.target import open_client
from tests.hostile.servers import Conn, Loopback, live_settings

CAP = 6


def endless(conn: Conn) -> None:
    """Every page new containers and a new cursor, and always one more page."""
    query = parse_qs(urlsplit(conn.request.target).query)
    page = {
        "data": {
            "containers": [{"name": f"c-{conn.index}-{n}"} for n in range(2)],
            "runId": query.get("runId", ["r1"])[0],
        },
        "pagination": {"hasNextPage": True, "cursor": f"cur-{conn.index}", "count": 2},
    }
    conn.respond(200, json.dumps(page))


def test_an_endless_listing_is_walked_to_its_cap_once() -> None:
    with (
        Loopback(endless) as server,
        open_client(live_settings(server.url, run_id="r1", max_requests=100)) as client,
    ):
        ctx = CheckContext(client=client, max_walk_pages=CAP)
        ctx.check_id = "NF-PAG-004"
        walk = ctx.full_walk("cursor")
        assert walk.outcome == "cap"
        assert len(server.requests) == CAP
        ctx.check_id = "NF-PAG-005"
        with pytest.raises(NotRun) as skipped:
            ctx.full_walk("page")
        assert ctx.full_walk("cursor") is walk, "the same walk is still answered from memory"
        small = ctx.walk("page", "r1", 2, limit=2)  # a bounded walk still runs
        assert len(small.pages) == 2
    assert str(skipped.value) == (
        "not walked again: the listing is endless: NF-PAG-004's cursor walk of run 'r1' at"
        f" per_page=100 found hasNextPage still true after {CAP} pages"
    )
    assert len(server.requests) == CAP + 2


def test_a_listing_that_ends_is_walked_by_every_mode() -> None:
    def ends(conn: Conn) -> None:
        page = {
            "data": {"containers": [{"name": "only"}], "runId": "r1"},
            "pagination": {"hasNextPage": False, "cursor": None, "count": 1},
        }
        conn.respond(200, json.dumps(page))

    with Loopback(ends) as server, open_client(live_settings(server.url, run_id="r1")) as client:
        ctx = CheckContext(client=client, max_walk_pages=CAP)
        assert ctx.full_walk("cursor").complete
        assert ctx.full_walk("page").complete
    assert ctx.endless_listing("r1") is None
