"""Error-body checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, context, judge

CHECK_IDS = ["NF-ERR-001", "NF-ERR-002", "NF-ERR-003"]


def _errors_as(make: Callable[[httpx.Response], httpx.Response]) -> FakeApi:
    def hook(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if response.status_code < 400:
            return response
        return make(response)

    return FakeApi(response=hook)


def test_correct_errors_pass() -> None:
    with context() as ctx:
        results = [judge(ctx, check_id) for check_id in CHECK_IDS]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda r: httpx.Response(r.status_code, html="<h1>401</h1>"), "not JSON"),
        (
            lambda r: httpx.Response(
                r.status_code, content=r.content, headers={"content-type": "text/plain"}
            ),
            "'text/plain'",
        ),
    ],
    ids=["html", "json-labelled-otherwise"],
)
def test_errors_that_are_not_json_fail(
    make: Callable[[httpx.Response], httpx.Response], shown: str
) -> None:
    with context(_errors_as(make)) as ctx:
        result = judge(ctx, "NF-ERR-001")
    assert result.status == "failed"
    assert shown in result.message


@pytest.mark.parametrize(
    "body",
    [
        {"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"},
        {"error": "Unauthorized"},
        {"error": {"status": 401}},
        {"error": {"message": "   "}},
        [],
    ],
)
def test_bodies_outside_the_northflank_shape_warn(body: Any) -> None:
    """Only the official clients' parsing names the shape, and no client breaks on another: a
    SHOULD (REQ-ERR-SHAPE), so the check flags it and never fails the run."""
    with context(_errors_as(lambda r: httpx.Response(r.status_code, json=body))) as ctx:
        result = judge(ctx, "NF-ERR-002")
    assert result.status == "warned", body
    assert result.level == "SHOULD"


def test_a_minimal_error_body_passes() -> None:
    api = _errors_as(lambda r: httpx.Response(r.status_code, json={"error": {"message": "no"}}))
    with context(api) as ctx:
        assert judge(ctx, "NF-ERR-002").status == "passed"
        assert judge(ctx, "NF-ERR-003").status == "passed"  # no status: nothing to compare


def test_an_error_status_unlike_the_http_status_warns() -> None:
    api = _errors_as(
        lambda r: httpx.Response(r.status_code, json={"error": {"status": 400, "message": "x"}})
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-ERR-003")
    assert result.status == "warned"  # SHOULD
    assert "error.status=400 on a 401 response" in result.message


def test_without_errors_the_checks_are_skipped() -> None:
    api = FakeApi(response=lambda response, request: httpx.Response(200, json={"data": {}}))
    with context(api) as ctx:
        assert {judge(ctx, check_id).status for check_id in CHECK_IDS} == {"skipped"}
