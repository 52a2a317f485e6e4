"""Pagination parameter checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import httpx

from tests.checks.fake import FakeApi, context, judge


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


def test_a_default_page_size_other_than_50_warns() -> None:
    with context(FakeApi(default_per_page=20)) as ctx:
        result = judge(ctx, "NF-PAG-017")
    assert result.status == "warned"
    assert "holds 20 of the run's 230" in result.message


def test_small_runs_fit_the_default_page() -> None:
    with context(FakeApi(runs={"r-new": 3, "r-big": 12}, default_per_page=20)) as ctx:
        assert judge(ctx, "NF-PAG-017").status == "passed"
