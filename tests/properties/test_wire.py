"""Cases become (path, query) for the TargetClient; exchanges become schemathesis Responses."""

from __future__ import annotations

from dataclasses import replace

from conformance.mock.fixture import MOCK_TOKEN
from conformance.properties import schema as st_schema
from conformance.properties import wire
from conformance.target import REDACTED, Credential, Exchange, TargetSettings

SETTINGS = TargetSettings(base_url=None, project_id="p 1", job_id="j", token=MOCK_TOKEN)


def exchange(status: int | None = 200, **changes: object) -> Exchange:
    base = Exchange(
        method="GET",
        path="/v1/projects/p/jobs/j/containers",
        params={"per_page": "2", "cursor": "a/b+c"},
        credential=Credential.PRIMARY,
        request_headers={"Accept": "application/json", "Authorization": REDACTED},
        status=status,
        response_headers={"content-type": "application/json", "content-encoding": "gzip"},
        body=b'{"data": {"runId": "r"}, "pagination": {"hasNextPage": false, "count": 0}}',
        json={"data": {"runId": "r"}, "pagination": {"hasNextPage": False, "count": 0}},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_case_is_serialised_as_schemathesis_would_one_value_per_name() -> None:
    op = st_schema.operation(st_schema.load(), "project")
    case = op.Case(
        path_parameters={"projectId": "p", "jobId": "j"},
        query={"per_page": ["null", "null"], "page": True, "cursor": "x", "runId": {"a": 1}},
    )
    path, query = wire.request_of(case)
    assert path == "/v1/projects/p/jobs/j/containers"
    assert query == {
        "per_page": '["null","null"]',
        "page": "true",
        "cursor": "x",
        "runId": '{"a":1}',
    }


def test_an_exchange_reads_as_a_schemathesis_response() -> None:
    response = wire.response_of(exchange(), SETTINGS)
    assert response is not None
    assert response.status_code == 200
    assert response.json()["data"]["runId"] == "r"
    assert "content-encoding" not in response.headers  # the body is already decoded
    assert (
        response.request.url
        == "http://mock.invalid/v1/projects/p/jobs/j/containers?per_page=2&cursor=a%2Fb%2Bc"
    )
    assert response.request.headers["Authorization"] == REDACTED


def test_no_response_means_no_schemathesis_response() -> None:
    assert wire.response_of(exchange(None, error="no response: timed out"), SETTINGS) is None


def test_the_reproduce_command_leaves_the_token_to_the_environment() -> None:
    live = replace(SETTINGS, base_url="https://api.example.test/")
    command = wire.curl(exchange(), live)
    assert command.startswith('curl -sS -H "Authorization: Bearer $NORTHFLANK_API_TOKEN" ')
    assert "https://api.example.test/v1/projects/p/jobs/j/containers?per_page=2" in command
    assert MOCK_TOKEN not in command
    on_the_mock = wire.curl(exchange(), SETTINGS)
    assert on_the_mock.endswith(
        "\"$NORTHFLANK_API_BASE_URL\"'/v1/projects/p/jobs/j/containers?per_page=2&cursor=a%2Fb%2Bc'"
    )


def test_a_body_past_any_listing_goes_to_schemathesis_empty() -> None:
    """schemathesis copies the body it is given and its checks here never read it: a 10 MB
    hostile answer would otherwise be held twice (a run's memory must stay within 2x)."""
    huge = b'"' + b"x" * (wire.LARGEST_BODY_HANDED_ON + 10) + b'"'
    response = wire.response_of(exchange(body=huge, json=None), SETTINGS)
    assert response is not None
    assert response.status_code == 200
    assert response.content == b""
    small = wire.response_of(exchange(), SETTINGS)
    assert small is not None
    assert small.content == exchange().body
