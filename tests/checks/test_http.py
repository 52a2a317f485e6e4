"""HTTP checks against a correct fake and fakes broken in one way each."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.checks.fake import FakeApi, context, error, judge


def _on(condition: Any, answer: Any) -> FakeApi:
    def hook(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        return answer(response, request) if condition(response, request) else response

    return FakeApi(response=hook)


def test_correct_http_passes() -> None:
    ids = ["NF-HTTP-001", "NF-HTTP-002", "NF-HTTP-003", "NF-HTTP-004", "NF-HTTP-005"]
    with context() as ctx:
        results = [judge(ctx, check_id) for check_id in [*ids, "NF-HTTP-006", "NF-HTTP-008"]]
    assert [(r.id, r.message) for r in results if r.status != "passed"] == []


def test_the_listing_must_answer_200() -> None:
    api = _on(
        lambda r, q: r.status_code == 200,
        lambda r, q: httpx.Response(206, content=r.content, headers=r.headers),
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-HTTP-001")
    assert result.status == "failed"
    assert result.received == "206"


def test_a_token_problem_says_how_to_fix_it() -> None:
    with context(_on(lambda r, q: True, lambda r, q: error(401, "no"))) as ctx:
        result = judge(ctx, "NF-HTTP-001")
    assert "NORTHFLANK_API_TOKEN" in result.message


def test_success_labelled_text_plain_fails() -> None:
    api = _on(
        lambda r, q: r.status_code == 200,
        lambda r, q: httpx.Response(200, content=r.content, headers={"content-type": "text/plain"}),
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-HTTP-002")
    assert result.status == "failed"


def test_a_redirect_fails() -> None:
    api = _on(
        lambda r, q: q.url.params.get("page") == "2",
        lambda r, q: httpx.Response(302, headers={"location": "https://elsewhere.test/"}),
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-HTTP-003")
    assert result.status == "failed"
    assert "redirect" in result.message


@pytest.mark.parametrize(
    ("check_id", "segment"),
    [("NF-HTTP-004", "/projects/nf-"), ("NF-HTTP-005", "/jobs/nf-"), ("NF-HTTP-006", "/teams/nf-")],
)
@pytest.mark.parametrize(
    ("answer", "status"),
    [(200, "failed"), (500, "failed"), (400, "warned"), (403, "warned"), (410, "warned")],
)
def test_unknown_ids(check_id: str, segment: str, answer: int, status: str) -> None:
    def reply(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if answer == 200:
            body = {"data": {"containers": [], "runId": "r"}, "pagination": {"hasNextPage": False}}
            return httpx.Response(200, json=body)
        return error(answer, "No")

    api = _on(lambda r, q: segment in q.url.path and "authorization" in q.headers, reply)
    with context(api) as ctx:
        result = judge(ctx, check_id)
    assert result.status == status, result.message


def test_a_job_id_matched_by_prefix_fails() -> None:
    api = FakeApi(job="nightly")
    original = api.handle

    def prefix(request: httpx.Request) -> httpx.Response:
        path = request.url.path.replace("/jobs/nightl/", "/jobs/nightly/")
        return original(
            httpx.Request(request.method, request.url.copy_with(path=path), headers=request.headers)
        )

    api.handle = prefix  # type: ignore[method-assign]
    with context(api) as ctx:
        result = judge(ctx, "NF-HTTP-005")
    assert result.status == "failed"
    assert "prefix" in result.message


def test_another_job_at_the_prefix_is_fine() -> None:
    api = _on(
        lambda r, q: "/jobs/jo/" in q.url.path,
        lambda r, q: httpx.Response(
            200,
            json={"data": {"containers": [], "runId": "x"}, "pagination": {"hasNextPage": False}},
        ),
    )
    with context(api) as ctx:
        assert judge(ctx, "NF-HTTP-005").status == "passed"


def test_the_team_checks_need_a_team_id() -> None:
    with context(team_id=None) as ctx:
        assert judge(ctx, "NF-HTTP-006").status == "skipped"


def test_other_methods_are_tried_on_the_mock_only() -> None:
    with context() as ctx:
        result = judge(ctx, "NF-HTTP-007")
        assert [e.method for e in ctx.client.exchanges] == []
    assert result.status == "skipped"
    with context(mock=True) as ctx:
        assert judge(ctx, "NF-HTTP-007").status == "passed"
    api = _on(lambda r, q: r.status_code == 405, lambda r, q: error(404, "Not found"))
    with context(api, mock=True) as ctx:
        result = judge(ctx, "NF-HTTP-007")
    assert result.status == "warned"  # SHOULD
    assert result.received == "404"


def test_missing_ratelimit_headers_warn() -> None:
    api = _on(
        lambda r, q: r.status_code == 200,
        lambda r, q: httpx.Response(
            200, content=r.content, headers={"content-type": r.headers["content-type"]}
        ),
    )
    with context(api) as ctx:
        result = judge(ctx, "NF-HTTP-008")
    assert result.status == "warned"
    assert "x-ratelimit-limit" in result.message


def _limited(status: int, headers: dict[str, str], body: Any) -> FakeApi:
    seen = {"n": 0}

    def hook(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        seen["n"] += 1
        if seen["n"] < 3:
            return response
        return httpx.Response(status, headers={**headers, "x-ratelimit-remaining": "0"}, json=body)

    return FakeApi(response=hook)


def test_a_json_429_with_retry_after_passes() -> None:
    body = {"error": {"status": 429, "message": "slow down"}}
    with context(
        _limited(429, {"retry-after": "60"}, body), max_retries=0, min_ratelimit_remaining=0
    ) as ctx:
        assert judge(ctx, "NF-HTTP-009").status == "passed"


def test_a_429_without_retry_after_warns() -> None:
    body = {"error": {"status": 429, "message": "slow down"}}
    with context(_limited(429, {}, body), max_retries=0, min_ratelimit_remaining=0) as ctx:
        result = judge(ctx, "NF-HTTP-009")
    assert result.status == "warned"
    assert "Retry-After" in result.message


def test_rate_limiting_disguised_as_403_warns() -> None:
    body = {"error": {"status": 403, "message": "Quota exceeded"}}
    with context(_limited(403, {}, body), min_ratelimit_remaining=0) as ctx:
        result = judge(ctx, "NF-HTTP-009")
    assert result.status == "warned"  # SHOULD
    assert "403 once x-ratelimit-remaining is 0" in result.message


def test_no_rate_limiting_skips() -> None:
    with context() as ctx:
        assert judge(ctx, "NF-HTTP-009").status == "skipped"


def test_a_206_on_one_code_path_fails_nf_http_010() -> None:
    def partial_pages(response: httpx.Response, request: httpx.Request) -> httpx.Response:
        if "page" in request.url.params and response.status_code == 200:
            return httpx.Response(206, content=response.content, headers=response.headers)
        return response

    with context(FakeApi()) as ctx:
        assert judge(ctx, "NF-HTTP-010").status == "passed"
    with context(FakeApi(response=partial_pages)) as ctx:
        result = judge(ctx, "NF-HTTP-010")
    assert result.status == "failed"
    assert "206 for a listing" in result.message
