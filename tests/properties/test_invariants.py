"""Our invariants as schemathesis custom checks, on canned responses."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conformance.properties import invariants, wire
from conformance.properties import schema as st_schema
from conformance.target import Credential, Exchange, TargetSettings

SETTINGS = TargetSettings(base_url=None, project_id="p", job_id="j", token="t")
CASE = st_schema.operation(st_schema.load(), "project").Case(
    path_parameters={"projectId": "p", "jobId": "j"}
)
Check = Callable[..., None]


def page(count: int, items: int, *, has_next: bool = False, **pagination: Any) -> dict[str, Any]:
    containers = [
        {"name": f"c{i}", "createdAt": 1, "status": "TASK_RUNNING", "updatedAt": 1}
        for i in range(items)
    ]
    return {
        "data": {"containers": containers, "runId": "r1"},
        "pagination": {"hasNextPage": has_next, "count": count, **pagination},
    }


def judge(check: Check, body: Any, status: int = 200, params: dict[str, str] | None = None) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    exchange = Exchange(
        method="GET",
        path="/v1/projects/p/jobs/j/containers",
        params=params or {},
        credential=Credential.PRIMARY,
        request_headers={},
        status=status,
        response_headers={"content-type": "application/json"},
        body=text.encode(),
        json=None,
    )
    response = wire.response_of(exchange, SETTINGS)
    check(None, response, CASE)


def test_a_filtered_listing_names_the_run_asked_for() -> None:
    judge(invariants.run_id_matches_filter, page(1, 1), params={"runId": "r1"})
    judge(invariants.run_id_matches_filter, page(1, 1), params={"runId": ""})  # no filter
    judge(
        invariants.run_id_matches_filter, {"error": {"message": "no"}}, 404, params={"runId": "r9"}
    )
    with pytest.raises(AssertionError, match=r"runId='r9' was asked for, but data\.runId is 'r1'"):
        judge(invariants.run_id_matches_filter, page(1, 1), params={"runId": "r9"})


@pytest.mark.parametrize("check", [invariants.run_id_matches_filter])
def test_json_nested_far_too_deep_is_judged_as_no_listing_not_a_crash(check: Check) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # the stdlib parser overflows the stack on this
    judge(check, deep, params={"runId": "r9"})  # no listing: nothing for these checks to judge
