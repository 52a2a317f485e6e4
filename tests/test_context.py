"""CheckContext: memoised requests and walks, small walks, the runs a check reads."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.catalog import NotRun
from conformance.context import RUNS_PAGES, CheckContext
from conformance.mock.fixture import Fixture, Job, _runs
from conformance.options import RunOptions, Target, mock_target
from conformance.runner import execute, select_checks
from conformance.target import open_client
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


def _without_run_id(target: Target) -> Target:
    """The mock target as a live run without --run-id sees it: the walk run is to be found."""
    return dataclasses.replace(target, settings=dataclasses.replace(target.settings, run_id=None))


def _fixture_with_running_runs(running: int) -> Fixture:
    """The default fixture, its job's newest ``running`` runs still running (2 containers
    each), then a concluded run of 237 and one of 41: GET .../runs lists 50 a page."""
    plan = [("RUNNING", 2)] * running + [("SUCCESS", 237), ("FAILED", 41)]
    main = _runs("nightly-report", 1_795_831_200, plan)  # type: ignore[arg-type]
    default = Fixture.default()
    return dataclasses.replace(default, jobs=(Job("nightly-report", main), *default.jobs[1:]))


@pytest.mark.parametrize(("running", "pages"), [(1, 1), (50, 2), (120, 3), (160, 3)])
def test_the_runs_list_is_followed_to_a_concluded_run(running: int, pages: int) -> None:
    fixture = _fixture_with_running_runs(running)
    target = _without_run_id(mock_target(RunOptions(), fixture=fixture))
    with open_client(target.settings, target.app) as client:
        ctx = CheckContext(client)
        walked = ctx.walk_run_id()
        sent = client.requests_sent  # GET .../runs, page after page
    concluded = fixture.jobs[0].runs[running]
    assert sent == pages  # RUNS_PAGES at most
    if running < RUNS_PAGES * 50:
        assert walked == concluded.id  # not a 2-container run still running
    else:
        assert walked == fixture.jobs[0].latest_run.id  # none found within 3 pages


def test_a_bug_of_long_walks_shows_when_the_concluded_run_is_on_page_2_of_the_runs() -> None:
    fixture = _fixture_with_running_runs(50)
    for faults, status in (((), "passed"), (("overlapping-pages@runId",), "failed")):
        target = _without_run_id(mock_target(RunOptions(), fixture=fixture, faults=faults))
        result = execute(target, select_checks(), seed=1)
        assert {c.id: c.status.value for c in result.checks}["NF-PAG-006"] == status
