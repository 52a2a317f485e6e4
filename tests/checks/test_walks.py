"""Walk checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, context, error, judge


def _cursor(run: str, per_page: int, offset: int) -> str:
    raw = json.dumps({"r": run, "n": per_page, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode()


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
