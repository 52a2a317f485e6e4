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
        clamped = judge(ctx, "NF-PAG-014")
    assert clamped.status == "warned", clamped.message  # a choice the docs leave open
    assert "per_page='101' answered 200 with 100 containers" in clamped.message

    def honour(params: httpx.QueryParams) -> httpx.QueryParams:
        return params.set("per_page", "7") if params.get("per_page") == "1000" else params

    api = FakeApi(query=honour)
    api.body = _items_for_1000
    with context(api) as ctx:
        result = judge(ctx, "NF-PAG-014")
        assert result.status == "failed"
        assert "230 containers on one page, over the maximum of 100 for per_page='1000'" in (
            result.message
        )
        assert judge(ctx, "NF-PAG-003").status == "failed"


def _items_for_1000(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    if state["params"].get("per_page") == "7" and "cursor" not in state["params"]:
        body["data"]["containers"] = state["items"]
        body["pagination"] = {"hasNextPage": False, "count": len(state["items"])}
    return body


def _lenient(params: httpx.QueryParams) -> httpx.QueryParams:
    for key in ("per_page", "page"):
        value = params.get(key)
        if value is not None and (not value.isdigit() or int(value) < 1):
            params = params.remove(key)
    return params


def test_invalid_values_read_leniently_only_warn() -> None:
    """Reject, clamp or fall back: the documentation leaves it open; rejecting is a SHOULD."""
    with context(FakeApi(query=_lenient)) as ctx:
        per_page, page = judge(ctx, "NF-PAG-014"), judge(ctx, "NF-PAG-015")
    assert per_page.status == page.status == "warned"
    assert "per_page='0' answered 200 with 50 containers" in per_page.message
    assert "page='0' answered 200 with 50 containers" in page.message


def test_a_lenient_answer_must_still_list_the_requested_run() -> None:
    def other_run(params: httpx.QueryParams) -> httpx.QueryParams:
        fallen_back = _lenient(params)
        if fallen_back != params:  # the fallback forgets the runId too
            return fallen_back.remove("runId")
        return params

    with context(FakeApi(query=other_run, runs={"r-new": 5, "r-big": 230})) as ctx:
        per_page, page = judge(ctx, "NF-PAG-014"), judge(ctx, "NF-PAG-015")
    assert per_page.status == page.status == "failed"
    assert "a listing of run 'r-new', not of the requested 'r-big' for page='0'" in page.message


def test_a_lenient_answer_must_keep_the_documented_shape() -> None:
    def marked(params: httpx.QueryParams) -> httpx.QueryParams:
        fallen_back = _lenient(params)
        return fallen_back.set("fell-back", "1") if fallen_back != params else params

    def broken(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if "fell-back" in state["params"]:
            del body["pagination"]["hasNextPage"]
        return body

    api = FakeApi(query=marked)
    api.body = broken
    with context(api) as ctx:
        result = judge(ctx, "NF-PAG-015")
    assert result.status == "failed"
    assert "a listing outside the documented shape" in result.message
    assert "hasNextPage" in result.message
