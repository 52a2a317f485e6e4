"""Pagination checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, context, error, judge

WALK_CHECKS = [f"NF-PAG-{n:03d}" for n in (4, 5, 6, 7, 8, 9, 10, 12, 13)]
PARAM_CHECKS = ["NF-PAG-014", "NF-PAG-015", "NF-PAG-016", "NF-PAG-017"]
PAGE_CHECKS = ["NF-PAG-001", "NF-PAG-002", "NF-PAG-003", "NF-PAG-011"]


def _cursor(run: str, per_page: int, offset: int) -> str:
    raw = json.dumps({"r": run, "n": per_page, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize("size", [1, 2, 7, 100, 101, 230])
def test_correct_pagination_passes_at_any_run_size(size: int) -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": size})) as ctx:
        results = [judge(ctx, check_id) for check_id in WALK_CHECKS + PARAM_CHECKS + PAGE_CHECKS]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


def test_one_item_per_page_walks_the_whole_run() -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": 3})) as ctx:
        assert ctx.small_per_page() == 1
        walk = ctx.small_walk("cursor")
        assert walk.complete
        assert [page.items for page in walk.pages] == [1, 1, 1]
        assert judge(ctx, "NF-PAG-008").status == "passed"


@pytest.mark.parametrize("check_id", ["NF-PAG-004", "NF-PAG-008", "NF-PAG-009", "NF-PAG-012"])
def test_an_empty_run_skips_multi_page_checks_but_walks(check_id: str) -> None:
    api = FakeApi(runs={"r-new": 3, "r-big": 0})
    api.body = lambda body, state: _without_containers(body) if not state["items"] else body
    with context(api) as ctx:
        result = judge(ctx, check_id)
        assert ctx.full_walk("cursor").complete
        with pytest.raises(Exception, match="has 0 container"):
            ctx.small_per_page()
    assert result.status in ("passed", "skipped"), result.message


def _without_containers(body: dict[str, Any]) -> dict[str, Any]:
    del body["data"]["containers"]
    return body


def test_count_must_be_this_pages_count() -> None:
    api = FakeApi()
    api.body = _set_count(lambda state: len(state["items"]))
    with context(api) as ctx:
        result = judge(ctx, "NF-PAG-001")
    assert result.status == "failed"
    assert "count=230 with 100 containers" in result.message


def _set_count(count: Any) -> Any:
    def hook(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        body["pagination"]["count"] = count(state)
        return body

    return hook


def _extra_item(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """An inclusive slice end: per_page + 1 items."""
    start, stop = state["offset"], state["offset"] + state["per_page"] + 1
    body["data"]["containers"] = state["items"][start:stop]
    body["pagination"]["count"] = len(body["data"]["containers"])
    return body


def test_more_items_than_per_page_fails() -> None:
    with context(FakeApi(body=_extra_item)) as ctx:
        assert judge(ctx, "NF-PAG-002").status == "failed"
        assert judge(ctx, "NF-PAG-003").status == "failed"  # 101 at per_page=100


def test_per_page_above_100_may_be_clamped_or_rejected_but_not_honoured() -> None:
    def clamp(params: httpx.QueryParams) -> httpx.QueryParams:
        value = params.get("per_page", "")
        if value.isdigit() and int(value) > 100:
            return params.set("per_page", "100")
        return params

    with context(FakeApi(query=clamp)) as ctx:
        assert judge(ctx, "NF-PAG-014").status == "passed"

    def honour(params: httpx.QueryParams) -> httpx.QueryParams:
        return params.set("per_page", "7") if params.get("per_page") == "1000" else params

    api = FakeApi(query=honour)
    api.body = _items_for_1000
    with context(api) as ctx:
        result = judge(ctx, "NF-PAG-014")
        assert result.status == "failed"
        assert "230 containers for per_page='1000'" in result.message
        assert judge(ctx, "NF-PAG-003").status == "failed"


def _items_for_1000(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    if state["params"].get("per_page") == "7" and "cursor" not in state["params"]:
        body["data"]["containers"] = state["items"]
        body["pagination"] = {"hasNextPage": False, "count": len(state["items"])}
    return body


def test_invalid_values_accepted_with_200_fail() -> None:
    def lenient(params: httpx.QueryParams) -> httpx.QueryParams:
        for key in ("per_page", "page"):
            value = params.get(key)
            if value is not None and (not value.isdigit() or int(value) < 1):
                params = params.remove(key)
        return params

    with context(FakeApi(query=lenient)) as ctx:
        per_page, page = judge(ctx, "NF-PAG-014"), judge(ctx, "NF-PAG-015")
    assert per_page.status == page.status == "failed"
    assert "200 for per_page='0'" in per_page.message
    assert "200 for page='0'" in page.message


def test_server_errors_on_bad_input_fail() -> None:
    api = FakeApi()
    api.response = lambda response, request: (
        httpx.Response(500, json={"error": {"message": "boom"}})
        if response.status_code == 400
        else response
    )
    with context(api) as ctx:
        for check_id in ("NF-PAG-014", "NF-PAG-015", "NF-PAG-016"):
            result = judge(ctx, check_id)
            assert result.status == "failed", check_id
            assert "500 for" in result.message


def test_a_cursor_looping_back_is_detected_without_hanging() -> None:
    def loop(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if not body["pagination"]["hasNextPage"]:
            body["pagination"] = {
                "hasNextPage": True,
                "count": body["pagination"]["count"],
                "cursor": _cursor(state["run"], state["per_page"], 0),
            }
        return body

    api = FakeApi(body=loop)
    with context(api) as ctx:
        result = judge(ctx, "NF-PAG-004")
        assert result.status == "failed"
        assert "repeats" in result.message
    assert len(api.requests) < 20


def test_has_next_page_forever_on_empty_pages_is_a_loop() -> None:
    def forever(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        body["pagination"]["hasNextPage"] = True
        return body

    api = FakeApi(body=forever)
    with context(api) as ctx:
        assert judge(ctx, "NF-PAG-005").status == "failed"
        assert judge(ctx, "NF-PAG-010").status == "failed"
    assert len(api.requests) < 30


def test_a_run_longer_than_the_page_cap_is_skipped_not_failed() -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": 1000})) as ctx:
        ctx.max_walk_pages = 3
        result = judge(ctx, "NF-PAG-004")
    assert result.status == "skipped"
    assert "without reaching the end" in result.message


def test_page_parameter_ignored_fails_the_page_walk() -> None:
    with context(FakeApi(query=lambda params: params.remove("page"))) as ctx:
        assert judge(ctx, "NF-PAG-005").status == "failed"
        assert judge(ctx, "NF-PAG-007").status == "failed"
        assert judge(ctx, "NF-PAG-004").status == "passed"


def _shift_cursor(delta: int) -> Any:
    def hook(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if "cursor" in body["pagination"]:
            offset = state["offset"] + state["per_page"] + delta
            body["pagination"]["cursor"] = _cursor(state["run"], state["per_page"], offset)
        return body

    return hook


def test_overlapping_cursor_pages_fail() -> None:
    with context(FakeApi(body=_shift_cursor(-1))) as ctx:
        result = judge(ctx, "NF-PAG-006")
        assert result.status == "failed"
        assert "on page 1 and 2" in result.message
        assert judge(ctx, "NF-PAG-008").status == "failed"
        assert judge(ctx, "NF-PAG-007").status == "passed"


def test_cursor_skipping_items_disagrees_with_the_page_walk() -> None:
    with context(FakeApi(body=_shift_cursor(+1))) as ctx:
        assert judge(ctx, "NF-PAG-006").status == "passed"
        result = judge(ctx, "NF-PAG-008")
    assert result.status == "failed"
    assert "cursor vs page walk" in result.message


def test_order_depending_on_page_size_fails() -> None:
    def reversed_small(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if state["per_page"] < 50:
            items = state["items"][::-1]
            start = state["offset"]
            body["data"]["containers"] = items[start : start + state["per_page"]]
        return body

    with context(FakeApi(body=reversed_small)) as ctx:
        result = judge(ctx, "NF-PAG-009")
    assert result.status == "failed"
    assert "per_page=100 walk" in result.expected  # type: ignore[operator]


def test_has_next_page_false_with_more_items_fails() -> None:
    def stop_early(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        body["pagination"] = {"hasNextPage": False, "count": body["pagination"]["count"]}
        return body

    with context(FakeApi(body=stop_early)) as ctx:
        result = judge(ctx, "NF-PAG-010")
    assert result.status == "failed"
    assert "not seen before" in result.message


def test_exactly_100_items_with_has_next_page_true_fails() -> None:
    def off_by_one(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        end = state["offset"] + state["per_page"]
        if end == len(state["items"]):
            body["pagination"]["hasNextPage"] = True
            body["pagination"]["cursor"] = _cursor(state["run"], state["per_page"], end)
        return body

    with context(FakeApi(runs={"r-new": 3, "r-big": 100}, body=off_by_one)) as ctx:
        result = judge(ctx, "NF-PAG-010")
    assert result.status == "failed"
    assert "page 2 is empty" in result.message


def test_a_cursor_that_leads_on_after_the_last_page_fails() -> None:
    def lying_last(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if "cursor" in body["pagination"] and state["offset"] >= 100:
            body["pagination"]["hasNextPage"] = False
        return body

    with context(FakeApi(body=lying_last)) as ctx:
        assert judge(ctx, "NF-PAG-010").status == "failed"
        assert judge(ctx, "NF-PAG-011").status == "failed"


@pytest.mark.parametrize("cursor", [None, "", "abc"])
def test_any_cursor_on_a_last_page_fails(cursor: str | None) -> None:
    def add(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if not body["pagination"]["hasNextPage"]:
            body["pagination"]["cursor"] = cursor
        return body

    with context(FakeApi(body=add)) as ctx:
        result = judge(ctx, "NF-PAG-011")
    assert result.status == "failed"
    assert f"cursor={cursor!r}" in result.message


def test_an_order_that_changes_between_requests_warns() -> None:
    calls = {"n": 0}

    def rotate(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        calls["n"] += 1
        items = body["data"]["containers"]
        body["data"]["containers"] = items[calls["n"] % 2 :] + items[: calls["n"] % 2]
        return body

    with context(FakeApi(body=rotate)) as ctx:
        result = judge(ctx, "NF-PAG-012")
    assert result.status == "warned"  # SHOULD


def test_a_page_past_the_end_may_be_404_with_a_warning() -> None:
    def beyond(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "4":
            return error(404, "Page not found")
        return response

    with context(FakeApi(response=beyond)) as ctx:
        assert judge(ctx, "NF-PAG-013").status == "warned"
        assert judge(ctx, "NF-PAG-010").status == "passed"


def test_a_default_page_size_other_than_50_warns() -> None:
    with context(FakeApi(default_per_page=20)) as ctx:
        result = judge(ctx, "NF-PAG-017")
    assert result.status == "warned"
    assert "holds 20 of the run's 230" in result.message


def test_small_runs_fit_the_default_page() -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": 12}, default_per_page=20)) as ctx:
        assert judge(ctx, "NF-PAG-017").status == "passed"
