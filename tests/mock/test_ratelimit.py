from __future__ import annotations

from conformance.mock.app import create_app
from tests.mock.conftest import MockClient, assert_error


def test_every_answer_carries_rate_limit_headers(client: MockClient) -> None:
    answers = [
        client.containers(),
        client.containers(headers={}),
        client.containers({"per_page": 0}),
        client.get("/nowhere"),
        client.request("POST", client.containers_path),
    ]
    remaining = [int(answer.headers["x-ratelimit-remaining"]) for answer in answers]
    assert remaining == sorted(remaining, reverse=True)
    assert len(set(remaining)) == len(answers)
    for answer in answers:
        assert int(answer.headers["x-ratelimit-limit"]) > remaining[0]
        assert 1 <= int(answer.headers["x-ratelimit-reset"]) <= 3600


def test_an_enforced_limit_answers_429_with_retry_after_until_the_window_resets() -> None:
    now = [1000.0]
    limited = MockClient(create_app(rate_limit=3, rate_window_s=60, clock=lambda: now[0]))
    for expected in ("2", "1", "0"):
        response = limited.containers()
        assert response.status_code == 200
        assert response.headers["x-ratelimit-remaining"] == expected
        assert response.headers["x-ratelimit-limit"] == "3"
    now[0] += 20
    response = limited.containers()
    assert_error(response, 429)
    assert response.headers["retry-after"] == response.headers["x-ratelimit-reset"] == "40"
    now[0] += 40
    assert limited.containers().status_code == 200
