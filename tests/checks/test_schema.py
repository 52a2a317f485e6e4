"""Schema checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, context, judge


def _each(change: Any) -> Any:
    def hook(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        for container in body["data"].get("containers", []):
            change(container)
        return body

    return hook


def test_a_correct_body_passes() -> None:
    with context() as ctx:
        assert judge(ctx, "NF-SCH-001").status == "passed"
        assert judge(ctx, "NF-SCH-002").status == "passed"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c.pop("name"), "'name' is a required property"),
        (lambda c: c.update(createdAt="2021-01-21T15:38:07Z"), "createdAt"),
        (lambda c: c.update(updatedAt=0), "updatedAt"),
        (lambda c: c.update(status="Running"), "status"),
    ],
)
def test_a_container_off_schema_fails(change: Any, where: str) -> None:
    with context(FakeApi(body=_each(change))) as ctx:
        result = judge(ctx, "NF-SCH-001")
    assert result.status == "failed"
    assert where in result.message


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body["data"].pop("runId"),
        lambda body: body.pop("pagination"),
        lambda body: body["pagination"].update(hasNextPage="false"),
        lambda body: body["pagination"].update(cursor=5),
        lambda body: body["pagination"].pop("count"),
    ],
)
def test_a_body_off_schema_fails(change: Any) -> None:
    def hook(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        change(body)
        return body

    with context(FakeApi(body=hook)) as ctx:
        assert judge(ctx, "NF-SCH-001").status == "failed"


def test_an_empty_page_may_leave_out_containers() -> None:
    def drop_empty(body: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        if not body["data"]["containers"]:
            del body["data"]["containers"]
        return body

    with context(FakeApi(runs={"r-new": 0, "r-big": 0}, body=drop_empty)) as ctx:
        assert judge(ctx, "NF-SCH-001").status == "passed"


def test_extra_fields_pass() -> None:
    with context(FakeApi(body=_each(lambda c: c.update(restarts=2, image="x")))) as ctx:
        assert judge(ctx, "NF-SCH-001").status == "passed"


def test_a_non_json_200_fails() -> None:
    api = FakeApi(
        response=lambda response, request: (
            httpx.Response(200, text="ok") if response.status_code == 200 else response
        )
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-SCH-001")
    assert result.status == "failed"
    assert "not JSON" in result.message


def test_byoc_fields_of_the_wrong_type_only_warn() -> None:
    def byoc(container: dict[str, Any]) -> None:
        container.update(nodeName=7, ipAddresses="10.0.0.1,10.0.0.2", host="h")

    with context(FakeApi(body=_each(byoc))) as ctx:
        assert judge(ctx, "NF-SCH-001").status == "passed"
        result = judge(ctx, "NF-SCH-002")
    assert result.status == "warned"
    assert "nodeName" in result.message


def test_byoc_fields_of_the_right_type_pass() -> None:
    def byoc(container: dict[str, Any]) -> None:
        container.update(nodeName="n", nodePoolUserId="u", ipAddresses=["10.0.0.1"])

    with context(FakeApi(body=_each(byoc))) as ctx:
        assert judge(ctx, "NF-SCH-002").status == "passed"
