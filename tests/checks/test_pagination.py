"""Checks judged on every page against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.fake import FakeApi, context, judge

WALK_CHECKS = [f"NF-PAG-{n:03d}" for n in (4, 5, 6, 7, 8, 9, 10, 12, 13)]
PARAM_CHECKS = ["NF-PAG-014", "NF-PAG-015", "NF-PAG-016", "NF-PAG-017"]
PAGE_CHECKS = ["NF-PAG-001", "NF-PAG-002", "NF-PAG-003", "NF-PAG-011", "NF-PAG-019"]


@pytest.mark.parametrize("size", [1, 2, 7, 100, 101, 230])
def test_correct_pagination_passes_at_any_run_size(size: int) -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": size})) as ctx:
        results = [judge(ctx, check_id) for check_id in WALK_CHECKS + PARAM_CHECKS + PAGE_CHECKS]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


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


def test_short_pages_before_the_last_warn_nf_pag_019() -> None:
    def short(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if body["pagination"]["hasNextPage"] and "per_page" in state["params"]:
            body["data"]["containers"] = body["data"]["containers"][:-1]
            body["pagination"]["count"] -= 1
        return body

    with context(FakeApi(body=short)) as ctx:
        result = judge(ctx, "NF-PAG-019")
    assert result.status == "warned"
    assert "on a page with hasNextPage true" in result.message


def test_cursor_pages_are_held_to_their_per_page_nf_pag_002() -> None:
    def long_cursor_pages(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if "cursor" in state["params"]:
            body["data"]["containers"] = state["items"][: state["per_page"] + 1]
            body["pagination"]["count"] = len(body["data"]["containers"])
        return body

    with context(FakeApi(body=long_cursor_pages)) as ctx:
        result = judge(ctx, "NF-PAG-002")
    assert result.status == "failed"
    assert "cursor=" in result.message
