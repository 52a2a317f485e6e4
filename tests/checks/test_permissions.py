"""Permission checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.checks.fake import RESTRICTED, TOKEN, FakeApi, containers, context, error, judge

CHECK_IDS = [f"NF-PRM-{n:03d}" for n in range(1, 7)]


def test_correct_permissions_pass() -> None:
    with context() as ctx:
        results = [judge(ctx, check_id) for check_id in CHECK_IDS]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


def _as(header: str | None, answer: httpx.Response) -> Any:
    def hook(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        return answer if request.headers.get("authorization") == header else response

    return hook


def _listing() -> httpx.Response:
    items = containers("r-new", 2)
    body = {"data": {"containers": items, "runId": "r-new"}, "pagination": {"hasNextPage": False}}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize(
    ("check_id", "header"),
    [("NF-PRM-001", None), ("NF-PRM-002", "Bearer"), ("NF-PRM-003", "unknown")],
)
def test_unauthenticated_requests_let_through_fail(check_id: str, header: str | None) -> None:
    def let_through(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        value = request.headers.get("authorization")
        if header == "unknown":
            matches = value is not None and value.startswith("Bearer nf-unknown-")
        else:
            matches = value == header
        return _listing() if matches else response

    with context(FakeApi(response=let_through)) as ctx:
        result = judge(ctx, check_id)
    assert result.status == "failed"
    assert result.received == "200"


@pytest.mark.parametrize(("answer", "status"), [(403, "warned"), (404, "warned"), (500, "failed")])
def test_unknown_token_refused_otherwise_than_401(answer: int, status: str) -> None:
    """Refusing is MUST (the permission is required); which 4xx is RFC 9110's SHOULD (401)."""

    def refuse(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        return error(answer, "No") if response.status_code == 401 else response

    with context(FakeApi(response=refuse)) as ctx:
        result = judge(ctx, "NF-PRM-003")
    assert result.status == status, result.message


def test_a_malformed_header_may_get_400_with_a_warning() -> None:
    with context(FakeApi(response=_as("Bearer", error(400, "Malformed header")))) as ctx:
        assert judge(ctx, "NF-PRM-002").status == "warned"
        assert judge(ctx, "NF-PRM-001").status == "passed"


def test_the_team_route_is_checked_too() -> None:
    def open_team(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if "/teams/" in request.url.path and "authorization" not in request.headers:
            return _listing()
        return response

    with context(FakeApi(response=open_team)) as ctx:
        result = judge(ctx, "NF-PRM-001")
    assert result.status == "failed"
    assert "team route" in result.expected  # type: ignore[operator]


@pytest.mark.parametrize(
    ("answer", "status"), [(200, "failed"), (500, "failed"), (404, "warned"), (401, "warned")]
)
def test_the_restricted_token(answer: int, status: str) -> None:
    reply = _listing() if answer == 200 else error(answer, "No")
    with context(FakeApi(response=_as(f"Bearer {RESTRICTED}", reply))) as ctx:
        assert judge(ctx, "NF-PRM-004").status == status


def test_without_a_restricted_token_the_403_check_is_skipped() -> None:
    with context(restricted_token=None) as ctx:
        result = judge(ctx, "NF-PRM-004")
    assert result.status == "skipped"
    assert "NF_CONFORMANCE_RESTRICTED_TOKEN" in result.message


@pytest.mark.parametrize("leak", ["data", "name"])
def test_error_bodies_with_data_fail(leak: str) -> None:
    def leaky(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if response.status_code != 401:
            return response
        body = response.json()
        name = containers("r-new", 1)[0]["name"]
        if leak == "data":
            body["data"] = {"containers": containers("r-new", 1)}
        else:
            body["error"]["message"] = f"Container {name} is not yours"
        return httpx.Response(401, json=body)

    with context(FakeApi(response=leaky)) as ctx:
        result = judge(ctx, "NF-PRM-005")
    assert result.status == "failed"


def test_short_names_in_error_messages_are_no_leak() -> None:
    api = FakeApi()
    api.body = lambda body, state: {
        **body,
        "data": {
            **body["data"],
            "containers": [
                {"name": "job", "createdAt": 1, "status": "TASK_RUNNING", "updatedAt": 1}
            ],
        },
    }
    with context(api) as ctx:  # "job" also appears in every 404 message path
        assert judge(ctx, "NF-PRM-005").status == "passed"


def test_a_team_route_that_differs_fails() -> None:
    def reverse(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if "/teams/" not in request.url.path or response.status_code != 200:
            return response
        body = response.json()
        body["data"]["containers"].reverse()
        return httpx.Response(200, json=body)

    with context(FakeApi(response=reverse)) as ctx:
        result = judge(ctx, "NF-PRM-006")
    assert result.status == "failed"
    assert "team vs project route" in result.message


def test_a_missing_team_route_fails() -> None:
    def missing(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        return error(404, "Cannot GET") if "/teams/" in request.url.path else response

    with context(FakeApi(response=missing)) as ctx:
        result = judge(ctx, "NF-PRM-006")
    assert result.status == "failed"
    assert "status 404 vs 200" in result.message


@pytest.mark.parametrize("check_id", ["NF-PRM-006"])
def test_without_a_team_id_the_team_route_is_skipped(check_id: str) -> None:
    with context(team_id=None) as ctx:
        assert judge(ctx, check_id).status == "skipped"
        assert judge(ctx, "NF-PRM-001").status == "passed"  # the project route alone


def test_tokens_never_reach_a_result() -> None:
    def echo(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {RESTRICTED}":
            return response
        body = _listing().json()
        body["data"]["containers"][0]["name"] = f"seen {request.headers['authorization']}"
        return httpx.Response(200, json=body)

    with context(FakeApi(response=echo)) as ctx:
        result = judge(ctx, "NF-PRM-004")
    assert result.status == "failed"
    text = repr(result.to_dict())
    assert "[REDACTED]" in text
    assert TOKEN not in text
    assert RESTRICTED not in text


@pytest.mark.parametrize(("answer", "status"), [(401, "passed"), (400, "warned"), (200, "warned")])
def test_a_token_without_the_bearer_scheme(answer: int, status: str) -> None:
    reply = _listing() if answer == 200 else error(answer, "No")
    with context(FakeApi(response=_as(TOKEN, reply))) as ctx:
        result = judge(ctx, "NF-PRM-007")
        sent = ctx.client.exchanges[-1]
    assert result.status == status  # SHOULD: a bare token accepted only warns
    assert sent.request_headers["authorization"] == TOKEN  # sent as it is, without a scheme
    assert TOKEN not in repr(result.to_dict())  # and written nowhere
