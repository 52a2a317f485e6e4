"""runId checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, containers, context, error, judge

CHECK_IDS = [f"NF-RUN-{n:03d}" for n in range(1, 7)]


@pytest.mark.parametrize("run_id", ["r-big", "r-new", None])
def test_a_correct_filter_passes(run_id: str | None) -> None:
    with context(FakeApi(), run_id=run_id) as ctx:
        results = [judge(ctx, check_id) for check_id in CHECK_IDS]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


def test_without_run_id_the_latest_run_is_walked() -> None:
    with context(FakeApi(), run_id=None) as ctx:
        assert ctx.walk_run_id() == "r-new"


def test_a_wrong_echo_fails() -> None:
    def echo_latest(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        body["data"]["runId"] = "r-new"
        return body

    with context(FakeApi(body=echo_latest)) as ctx:
        result = judge(ctx, "NF-RUN-001")
    assert result.status == "failed"
    assert result.received == "data.runId='r-new'"


def test_a_filter_dropped_on_later_pages_fails() -> None:
    def drop(params: httpx.QueryParams) -> httpx.QueryParams:
        return params.remove("cursor").set("runId", "r-new") if "cursor" in params else params

    with context(FakeApi(query=drop)) as ctx:
        result = judge(ctx, "NF-RUN-002")
    assert result.status == "failed"
    assert "page 2" in result.message


def test_a_filter_dropped_on_later_pages_fails_even_with_a_faithful_echo() -> None:
    def drop(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if state["offset"]:
            latest = containers("r-new", 12)[state["offset"] : state["offset"] + state["per_page"]]
            body["data"]["containers"] = latest
        return body

    with context(FakeApi(body=drop)) as ctx:
        result = judge(ctx, "NF-RUN-002")
    assert result.status == "failed"
    assert "of run 'r-new'" in result.message


def test_an_ignored_filter_fails() -> None:
    with context(FakeApi(query=lambda params: params.remove("runId"))) as ctx:
        shared = judge(ctx, "NF-RUN-003")
        echo = judge(ctx, "NF-RUN-001")
    assert shared.status == "failed"
    assert "shared" in shared.message
    assert echo.status == "failed"


def test_a_single_run_cannot_show_the_filter_apart() -> None:
    with context(FakeApi(runs={"r-big": 230})) as ctx:
        result = judge(ctx, "NF-RUN-003")
    assert result.status == "skipped"


def test_the_oldest_run_by_default_warns() -> None:
    def oldest(params: httpx.QueryParams) -> httpx.QueryParams:
        return params if "runId" in params or "cursor" in params else params.set("runId", "r-old")

    with context(FakeApi(query=oldest)) as ctx:
        assert judge(ctx, "NF-RUN-004").status == "warned"
        assert judge(ctx, "NF-RUN-005").status == "passed"


def test_unreadable_runs_skip_the_latest_run_check() -> None:
    api = FakeApi()
    api.response = lambda response, request: (
        error(403, "Missing permission") if request.url.path.endswith("/runs") else response
    )
    with context(api, run_id=None) as ctx:
        result = judge(ctx, "NF-RUN-004")
        assert ctx.walk_run_id() == "r-new"  # from the unfiltered listing instead
    assert result.status == "skipped"
    assert "Project > Jobs > General > Read" in result.message


def test_a_run_id_naming_another_runs_containers_fails() -> None:
    def mislabel(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if "runId" not in state["params"]:
            body["data"]["runId"] = "r-old"
        return body

    with context(FakeApi(body=mislabel)) as ctx:
        result = judge(ctx, "NF-RUN-005")
    assert result.status == "failed"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("404", "passed"),
        ("empty", "passed"),
        ("empty-other-id", "warned"),
        ("400", "warned"),
        ("latest", "failed"),
        ("500", "failed"),
    ],
)
def test_an_unknown_run_id(answer: str, status: str) -> None:
    def unknown(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("runId", "r").startswith("r"):
            return response
        if answer in ("404", "400", "500"):
            return error(int(answer), "Run not found")
        items = containers("r-new", 3) if answer == "latest" else []
        run_id = request.url.params["runId"] if answer == "empty" else "r-new"
        body = {
            "data": {"containers": items, "runId": run_id},
            "pagination": {"hasNextPage": False, "count": len(items)},
        }
        return httpx.Response(200, json=body)

    with context(FakeApi(response=unknown)) as ctx:
        result = judge(ctx, "NF-RUN-006")
    assert result.status == status, result.message


def _runs_with(*statuses: tuple[str, bool]) -> FakeApi:
    """The fake API with GET .../runs reporting (status, concluded) for its runs, newest first."""
    api = FakeApi()
    original = api.handle

    def reported(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if not request.url.path.endswith("/runs"):
            return response
        body = response.json()
        for run, (status, concluded) in zip(body["data"]["runs"], statuses, strict=False):
            run.update(status=status, concluded=concluded)
        return httpx.Response(200, json=body)

    api.handle = reported  # type: ignore[method-assign]
    return api


def test_without_run_id_the_newest_concluded_run_is_walked() -> None:
    with context(_runs_with(("RUNNING", False), ("SUCCESS", True)), run_id=None) as ctx:
        assert ctx.walk_run_id() == "r-big"  # the latest is still running


def test_a_listing_that_changed_between_requests_is_asked_again() -> None:
    calls = {"n": 0}

    def growing(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 1:  # the first answer misses the newest container
            body["data"]["containers"] = body["data"]["containers"][1:]
        return body

    with context(FakeApi(body=growing)) as ctx:
        assert judge(ctx, "NF-RUN-005").status == "passed"


@pytest.mark.parametrize("check_id", ["NF-RUN-007", "NF-RUN-008"])
def test_every_listing_names_its_run_and_near_misses_list_nothing(check_id: str) -> None:
    with context(FakeApi()) as ctx:
        result = judge(ctx, check_id)
    assert (result.status, result.message) == ("passed", "")


def test_a_past_the_end_page_naming_another_run_fails_nf_run_007() -> None:
    def past_end_latest(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if state["offset"] >= len(state["items"]):
            body["data"]["runId"] = "r-new"
        return body

    with context(FakeApi(body=past_end_latest)) as ctx:
        result = judge(ctx, "NF-RUN-007")
    assert result.status == "failed"
    assert "data.runId='r-new' for runId='r-big'" in result.message


@pytest.mark.parametrize(
    ("matches", "status"),
    [
        (lambda wanted, run: run.startswith(wanted), "failed"),  # a prefix of the real id
        (lambda wanted, run: wanted.startswith(run), "failed"),  # trailing characters ignored
        (lambda wanted, run: wanted.lower() == run.lower(), "warned"),  # case-insensitive ids
    ],
)
def test_a_loose_run_id_match_is_caught_by_nf_run_008(matches: Any, status: str) -> None:
    api = FakeApi()

    def loose(params: httpx.QueryParams) -> httpx.QueryParams:
        wanted = params.get("runId")
        if wanted and wanted not in api.runs:
            found = next((run for run in api.runs if matches(wanted, run)), None)
            if found:
                return params.set("runId", found)
        return params

    api.query = loose
    with context(api, run_id="r-Big") as ctx:
        api.runs = {"r-new": 12, "r-Big": 230, "r-old": 5}
        result = judge(ctx, "NF-RUN-008")
    assert result.status == status, result.message


def test_without_run_id_a_concluded_run_other_than_the_latest_is_walked() -> None:
    """A filter that falls back to the latest run is invisible when the walk run is the latest."""
    with context(_runs_with(*[("SUCCESS", True)] * 3), run_id=None) as ctx:
        assert ctx.walk_run_id() == "r-big"  # not r-new, the latest
