"""CheckContext: memoised requests and walks, small walks, the runs a check reads."""

from __future__ import annotations

import pytest

from conformance.catalog import NotRun
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
