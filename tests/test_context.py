"""CheckContext: memoised requests, bounded walks, the runs a check reads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.catalog import NotRun
from conformance.context import Page
from tests.checks.fake import FakeApi, context, error


def test_a_repeated_fetch_is_answered_from_memory() -> None:
    api = FakeApi()
    with context(api) as ctx:
        first = ctx.fetch({"per_page": 5, "runId": "r-big"})
        again = ctx.fetch({"runId": "r-big", "per_page": "5"})
    assert first is again
    assert len(api.requests) == 1


def test_walks_share_their_requests() -> None:
    api = FakeApi()
    with context(api) as ctx:
        by_cursor = ctx.full_walk("cursor")
        by_page = ctx.full_walk("page")
        assert ctx.full_walk("cursor") is by_cursor
        assert ctx.run_listing("r-big").exchange is by_cursor.pages[0].exchange
    assert [len(w.pages) for w in (by_cursor, by_page)] == [3, 3]
    assert len(api.requests) == 5  # the first page is the same request for both walks
    assert by_cursor.names == by_page.names
    assert len(set(by_cursor.names)) == 230


def test_a_cursor_walk_resends_per_page_and_run_id_like_the_sdk() -> None:
    api = FakeApi()
    with context(api) as ctx:
        ctx.full_walk("cursor")
    second = api.requests[1].url.params
    assert (second["per_page"], second["runId"]) == ("100", "r-big")
    assert "cursor" in second


def test_without_cursors_a_cursor_walk_falls_back_to_page_numbers() -> None:
    def no_cursor(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        body["pagination"].pop("cursor", None)
        return body

    api = FakeApi(body=no_cursor)
    with context(api) as ctx:
        walk = ctx.full_walk("cursor")
    assert walk.complete
    assert [r.url.params.get("page") for r in api.requests] == [None, "2", "3"]


@pytest.mark.parametrize(
    ("limit", "outcome", "pages"), [(None, "complete", 3), (2, "partial", 2), (3, "complete", 3)]
)
def test_a_walk_stops_at_its_limit(limit: int | None, outcome: str, pages: int) -> None:
    with context() as ctx:
        walk = ctx.walk("page", "r-big", 100, limit=limit)
    assert (walk.outcome, len(walk.pages)) == (outcome, pages)


def test_a_walk_that_never_ends_stops_at_the_cap() -> None:
    def fresh(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        n = state["params"].get("page", "1")
        body["data"]["containers"] = [dict(body["data"]["containers"][0], name=f"c-{n}")]
        body["pagination"] = {"hasNextPage": True, "count": 1}
        return body

    api = FakeApi(body=fresh)
    with context(api) as ctx:
        ctx.max_walk_pages = 7
        walk = ctx.walk("page", "r-big", 1)
    assert walk.outcome == "cap"
    assert len(api.requests) == 7


def test_an_error_page_ends_a_walk() -> None:
    api = FakeApi(
        response=lambda response, request: (
            error(400, "bad cursor") if "cursor" in request.url.params else response
        )
    )
    with context(api) as ctx:
        walk = ctx.full_walk("cursor")
    assert (walk.outcome, len(walk.pages)) == ("error", 2)
    assert walk.problem == "page 2 is not a readable listing"


def test_small_walks_give_a_run_several_pages() -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": 12})) as ctx:
        assert ctx.small_per_page() == 4
        assert len(ctx.small_walk("cursor").pages) == 3
    with context(FakeApi(runs={"r-new": 3, "r-big": 1})) as ctx, pytest.raises(NotRun):
        ctx.small_per_page()


def test_unknown_ids_depend_on_the_seed_only() -> None:
    with context() as ctx:
        one = (ctx.unknown_id("job"), ctx.unknown_run_id())
        assert one == (ctx.unknown_id("job"), ctx.unknown_run_id())
        ctx.cache.clear()
        ctx.seed += 1
        assert one != (ctx.unknown_id("job"), ctx.unknown_run_id())
    assert len(one[1]) == 36


def test_the_runs_come_from_the_runs_route_newest_first() -> None:
    with context() as ctx:
        assert ctx.runs() == ["r-new", "r-big", "r-old"]
        assert ctx.other_runs() == ["r-new", "r-old"]


def test_other_runs_without_the_runs_route_use_the_latest_listing() -> None:
    api = FakeApi(
        response=lambda response, request: (
            error(403, "no") if request.url.path.endswith("/runs") else response
        )
    )
    with context(api) as ctx:
        assert ctx.other_runs() == ["r-new"]


def test_a_page_reads_what_the_clients_read() -> None:
    with context() as ctx:
        exchange = ctx.fetch({"runId": "r-big", "per_page": 2})
    page = Page.parse(exchange)
    assert page.readable
    assert (page.items, page.has_next_page, page.count) == (2, True, 2)
    assert page.cursor is not None


@pytest.mark.parametrize(
    ("body", "readable", "has_cursor"),
    [
        ({"data": {"runId": "r"}, "pagination": {"hasNextPage": False}}, True, False),
        ({"data": {}, "pagination": {"hasNextPage": False, "cursor": None}}, True, True),
        ([], False, False),
        ({"data": {"containers": []}}, False, False),
    ],
)
def test_pages_are_read_forgivingly(body: Any, readable: bool, has_cursor: bool) -> None:
    api = FakeApi(response=lambda response, request: httpx.Response(200, json=body))
    with context(api) as ctx:
        page = Page.parse(ctx.fetch())
    assert (page.readable, page.items, page.has_cursor, page.cursor) == (
        readable,
        0,
        has_cursor,
        None,
    )


def _walk_retained(containers: int) -> tuple[int, int, Any]:
    """Bytes still held after a full cursor walk of a mock run, and the size of its names set."""
    import sys
    import tracemalloc

    from conformance import runner
    from conformance.context import CheckContext
    from conformance.mock.fixture import Fixture
    from conformance.target import KEPT_EXCHANGES, open_client

    fixture = Fixture.with_containers(containers)
    options = runner.RunOptions(run_id=fixture.latest_run_id, max_requests=containers // 50 + 50)
    target = runner.mock_target(options, fixture=fixture)
    with open_client(target.settings, target.app) as client:
        ctx = CheckContext(client, max_walk_pages=containers // 100 + 10)
        tracemalloc.start()
        try:
            walk = ctx.full_walk("cursor")
            retained = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        assert walk.complete
        assert len(client.exchanges) <= KEPT_EXCHANGES
        with_body = [n for n, page in enumerate(walk.pages, start=1) if page.exchange.body]
        names = set(walk.names)
        assert len(names) == containers
        names_bytes = sys.getsizeof(names) + sum(sys.getsizeof(name) for name in names)
        return retained, names_bytes, with_body


@pytest.mark.slow
def test_a_long_walk_keeps_its_names_but_not_its_bodies() -> None:
    smaller, smaller_names, _ = _walk_retained(6_000)  # more pages than the client keeps
    bigger, bigger_names, with_body = _walk_retained(12_000)
    assert with_body == [1, 120]  # the first and the last page, for evidence
    # What else the walk holds grows with the names only (the walk's tuples, the run's known
    # names): before, 6,000 more containers kept some 10 MB of bodies and parsed JSON.
    assert bigger - smaller < 1.5 * (bigger_names - smaller_names) + 256 * 1024
