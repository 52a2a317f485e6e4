"""The fairness filters: schemathesis's verdicts held against what the documentation allows."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from conformance.properties import generate, judge, wire
from conformance.properties import schema as st_schema
from conformance.properties.generate import Sent
from conformance.properties.run import Options, PropertyRun
from conformance.target import Credential, Exchange, TargetSettings

SETTINGS = TargetSettings(base_url=None, project_id="p", job_id="j", token="t")
PINS = {"projectId": "p", "jobId": "j"}
PAGE = {"data": {"runId": "r1", "containers": []}, "pagination": {"hasNextPage": False, "count": 0}}
ERROR = {"error": {"status": 400, "message": "bad request"}}


def coverage_case(mode: str, **query: str) -> generate.Planned:
    op = st_schema.operation(st_schema.load(), "project")
    for planned in generate.coverage(op, "project", PINS):
        meta = planned.case.meta
        assert meta is not None
        if meta.generation.mode.value == mode and planned.case.query == query:
            return planned
    raise LookupError(f"no {mode} coverage case with query {query}")


def sent(planned: generate.Planned, status: int, body: Any, **query: str) -> Sent:
    """``planned``, sent with ``query`` on the wire (default: as planned), answered ``status``."""
    _, planned_query = wire.request_of(planned.case)
    exchange = Exchange(
        method="GET",
        path="/v1/projects/p/jobs/j/containers",
        params=query or planned_query,
        credential=Credential.PRIMARY,
        request_headers={},
        status=status,
        response_headers={"content-type": "application/json"},
        body=json.dumps(body).encode(),
        json=body,
    )
    return Sent(planned, exchange, wire.response_of(exchange, SETTINGS))


def run_of(*sents: Sent) -> PropertyRun:
    return PropertyRun(seed=0, options=Options(), sent=list(sents))


@pytest.mark.parametrize(
    ("query", "problems"),
    [
        ({"per_page": "5", "page": "2", "cursor": "", "runId": "x"}, []),
        ({"per_page": "101"}, [("per_page", "above 100")]),
        ({"per_page": "0", "page": "AAA"}, [("per_page", "below 1"), ("page", "not an integer")]),
        ({"page": ""}, [("page", "empty")]),
        ({"page": "200"}, []),
    ],
)
def test_invalid_values_on_the_wire(query: dict[str, str], problems: list[Any]) -> None:
    assert judge.invalid_values(query) == problems


@pytest.mark.parametrize("value", ["101", "AAA", "0"])
def test_accepting_an_invalid_per_page_only_warns(value: str) -> None:
    """Reject, clamp or fall back: the documentation leaves it open (REQ-PAG-INVALID-PARAMS)."""
    planned = coverage_case("negative", per_page=value)
    [finding] = judge.accepted_invalid_values(run_of(sent(planned, 200, PAGE)))
    assert finding.advisory
    assert "Invalid on the wire: per_page" in finding.message
    assert judge.accepted_invalid_values(run_of(sent(planned, 400, ERROR))) == []
    assert judge.accepted_invalid_values(run_of(sent(planned, 422, ERROR))) == []


def test_an_empty_value_read_as_absent_only_warns() -> None:
    planned = coverage_case("negative", per_page="AAA")
    planned.case.query["per_page"] = ""
    [finding] = judge.accepted_invalid_values(run_of(sent(planned, 200, PAGE)))
    assert finding.advisory


def test_a_valid_per_page_rejected_fails() -> None:
    planned = coverage_case("positive", per_page="1")
    [finding] = judge.rejected_valid_values(run_of(sent(planned, 400, ERROR)), set())
    assert not finding.advisory
    assert judge.rejected_valid_values(run_of(sent(planned, 200, PAGE)), set()) == []


@pytest.mark.parametrize(
    ("query", "status", "known", "fails"),
    [
        ({"cursor": "not-issued"}, 400, set(), False),  # opaque cursor the server never issued
        ({"cursor": "not-issued"}, 422, set(), False),  # any client error will do
        ({"cursor": "not-issued"}, 403, set(), True),  # the token is valid: not a refusal
        ({"runId": "nope"}, 404, set(), False),  # unknown run
        ({"runId": "r1"}, 404, {"r1"}, True),  # a run the target has
        ({"page": "9", "per_page": "50"}, 404, set(), False),  # past the end
        ({"per_page": "50"}, 404, set(), True),
        ({"per_page": "50"}, 429, set(), False),  # rate limited: says nothing
    ],
)
def test_what_a_valid_query_may_still_get(
    query: dict[str, str], status: int, known: set[str], fails: bool
) -> None:
    planned = coverage_case("positive", per_page="50", page="1")
    findings = judge.rejected_valid_values(run_of(sent(planned, status, ERROR, **query)), known)
    assert bool(findings) is fails


def test_no_response_fails_but_an_unresolved_429_only_warns() -> None:
    planned = coverage_case("positive", per_page="1")
    timed_out = sent(planned, 200, PAGE)
    timed_out = Sent(planned, replace(timed_out.exchange, status=None, error="no response"), None)
    limited = sent(planned, 429, ERROR)
    limited = replace(
        limited, exchange=replace(limited.exchange, error="still 429 after 3 retries")
    )
    findings = judge.server_errors(run_of(timed_out, limited))
    assert [(f.title, f.advisory) for f in findings] == [
        ("No usable response", False),
        ("Still rate limited", True),
    ]
