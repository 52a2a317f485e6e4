"""TargetClient on the in-process transport, with a fake clock: GET-only, budget, pacing, deadline.

Behaviour against real misbehaving servers is in tests/hostile/.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conformance.target import (
    MOCK_BASE_URL,
    BudgetExhausted,
    Credential,
    DeadlineExceeded,
    QuotaLow,
    TargetClient,
    TargetSettings,
    UnsafeRequest,
    open_client,
)

PATH = "/v1/projects/demo/jobs/nightly/containers"
TOKEN = "nf-test-primary-token-4c1d"


async def echo(request: Request) -> Response:
    return JSONResponse(
        {
            "method": request.method,
            "authorization": request.headers.get("authorization"),
            "query": dict(request.query_params),
            "host": request.url.netloc,
        }
    )


async def limited(request: Request) -> Response:
    return JSONResponse({"error": {"status": 429}}, status_code=429, headers={"Retry-After": "20"})


APP = Starlette(
    routes=[
        Route(PATH, echo, methods=["GET", "POST", "DELETE"]),
        Route("/limited", limited),
    ]
)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def mock_settings(**overrides: Any) -> TargetSettings:
    values: dict[str, Any] = {
        "base_url": None,
        "project_id": "demo",
        "job_id": "nightly",
        "token": TOKEN,
    }
    values.update(overrides)
    return TargetSettings(**values)


def mock_client(fake: FakeTime | None = None, **overrides: Any) -> TargetClient:
    fake = fake or FakeTime()
    return open_client(mock_settings(**overrides), APP, clock=fake.clock, sleep=fake.sleep)


def test_the_mock_is_served_in_process_and_may_get_other_methods() -> None:
    with mock_client() as client:
        got = client.get(PATH, {"per_page": 2, "cursor": None})
        posted = client.request("POST", PATH)
    assert got.json == {
        "method": "GET",
        "authorization": f"Bearer {TOKEN}",  # as the target sent it: redaction is at the edge
        "query": {"per_page": "2"},
        "host": MOCK_BASE_URL.removeprefix("http://"),
    }
    assert got.url == f"{PATH}?per_page=2"
    assert posted.status == 200
    assert posted.json["method"] == "POST"
    assert client.exchanges == [got, posted]
    assert client.requests_sent == 2


def test_a_live_target_never_gets_a_non_get_request() -> None:
    settings = mock_settings(base_url="http://127.0.0.1:9")
    with (
        open_client(settings) as client,
        pytest.raises(UnsafeRequest, match="DELETE is never sent"),
    ):
        client.request("DELETE", PATH)
    assert client.requests_sent == 0


@pytest.mark.parametrize(
    ("credential", "expected"),
    [
        (Credential.PRIMARY, f"Bearer {TOKEN}"),
        (Credential.RESTRICTED, "Bearer nf-test-restricted-9e2a"),
        (Credential.UNKNOWN, "Bearer {unknown}"),
        (Credential.MALFORMED, "Bearer"),
        (Credential.NO_SCHEME, TOKEN),
        (Credential.NONE, None),
    ],
)
def test_each_credential_sends_its_authorization(credential: Credential, expected: str) -> None:
    with mock_client(restricted_token="nf-test-restricted-9e2a") as client:
        exchange = client.get(PATH, credential=credential)
        unknown = client.secrets[-1]
        shown = client.redact_value(exchange.excerpt())
    if expected is not None:
        expected = expected.format(unknown=unknown)
    assert exchange.json["authorization"] == expected
    assert exchange.request_headers.get("authorization") == expected
    assert exchange.credential is credential
    for secret in (TOKEN, "nf-test-restricted-9e2a", unknown):
        assert secret not in repr(shown)


def test_the_unknown_token_is_fresh_per_client_and_redacted() -> None:
    with mock_client() as first, mock_client() as second:
        unknown = [client.secrets[-1] for client in (first, second)]
    assert unknown[0] != unknown[1]
    assert all(token.startswith("nf-unknown-") for token in unknown)
    assert first.redact(f"x {unknown[0]} y") == "x [REDACTED] y"


def test_a_restricted_request_without_a_restricted_token_is_a_usage_error() -> None:
    with mock_client() as client, pytest.raises(ValueError, match="no restricted token"):
        client.get(PATH, credential=Credential.RESTRICTED)


def test_settings_never_show_tokens() -> None:
    settings = mock_settings(restricted_token="nf-test-restricted-9e2a")
    assert TOKEN not in repr(settings)
    assert "nf-test-restricted-9e2a" not in repr(settings)


def test_rate_spaces_requests_on_the_clock() -> None:
    fake = FakeTime()
    with mock_client(fake, rate_per_s=4.0) as client:
        started = fake.now
        for _ in range(9):
            client.get(PATH)
    assert fake.now - started == pytest.approx(2.0), "9 requests at 4/s span 8 intervals"
    assert fake.waits == [pytest.approx(0.25)] * 8
    assert client.stats["waited_s"] == pytest.approx(2.0)


def test_no_rate_means_no_waiting() -> None:
    fake = FakeTime()
    with mock_client(fake) as client:
        for _ in range(5):
            client.get(PATH)
    assert fake.waits == []


def test_the_run_deadline_stops_sending() -> None:
    fake = FakeTime()
    with mock_client(fake, deadline_s=60.0) as client:
        client.get(PATH)
        fake.now += 61
        with pytest.raises(
            DeadlineExceeded, match="deadline of 60 s passed; raise it with --deadline"
        ):
            client.get(PATH)
    assert client.requests_sent == 1
    assert client.stats["stopped"] == "deadline"


def test_pacing_that_would_run_past_the_deadline_stops_instead_of_waiting() -> None:
    fake = FakeTime()
    with mock_client(fake, rate_per_s=0.1, deadline_s=5.0) as client:
        client.get(PATH)
        with pytest.raises(DeadlineExceeded):
            client.get(PATH)  # the next slot is 10 s away
    assert fake.waits == []
    assert client.requests_sent == 1


def test_budget_of_zero_sends_nothing() -> None:
    with mock_client(max_requests=0) as client, pytest.raises(BudgetExhausted, match="budget of 0"):
        client.get(PATH)
    assert client.exchanges == []


def test_stops_are_budget_exhaustion_with_a_reason_for_the_report() -> None:
    assert issubclass(QuotaLow, BudgetExhausted)
    assert issubclass(DeadlineExceeded, BudgetExhausted)
    reasons = [error.reason for error in (BudgetExhausted, QuotaLow, DeadlineExceeded)]
    assert reasons == ["budget", "rate-limit quota", "deadline"]


def test_stats_has_the_documented_keys() -> None:
    with mock_client() as client:
        client.get(PATH)
        stats = client.stats
    assert stats == {
        "requests_sent": 1,
        "max_requests": 300,
        "retries_429": 0,
        "retries_transient": 0,
        "redirects": 0,
        "timeouts": 0,
        "transport_errors": 0,
        "bodies_capped": 0,
        "waited_s": 0.0,
        "ratelimit_remaining": None,
        "ratelimit_reset_s": None,
        "stopped": None,
    }


def test_open_client_needs_the_app_for_the_mock() -> None:
    with pytest.raises(ValueError, match="needs the mock app"):
        open_client(mock_settings())


@pytest.mark.parametrize("url", ["api.northflank.com", "ftp://api.northflank.com", "https://"])
def test_open_client_rejects_a_base_url_that_is_not_http(url: str) -> None:
    with pytest.raises(ValueError, match="is not an http\\(s\\) URL"):
        open_client(mock_settings(base_url=url))


def test_a_path_that_is_not_a_valid_url_is_refused_without_spending_budget() -> None:
    with mock_client(max_requests=1) as client:
        with pytest.raises(UnsafeRequest, match="is not a valid URL path"):
            client.get("/v1/projects/\n/jobs")
        assert client.requests_sent == 0
        assert client.get(PATH).status == 200


def test_a_retry_after_that_would_pass_the_run_deadline_stops_without_waiting() -> None:
    fake = FakeTime()
    with mock_client(fake, deadline_s=10.0) as client:
        with pytest.raises(DeadlineExceeded):
            client.get("/limited")
        assert fake.waits == []
        assert client.requests_sent == 1
        assert client.stats["retries_429"] == 0, "counted only when the retry is sent"


def test_a_retry_after_within_bounds_is_waited_for() -> None:
    fake = FakeTime()
    with mock_client(fake, max_retries=2) as client:
        exchange = client.get("/limited")
    assert exchange.status == 429
    assert exchange.retried_statuses == (429, 429)
    assert fake.waits == [20.0, 20.0]
