"""Every fault changes the mock's behaviour in the way it describes, and only when selected.

Each probe returns True when the bug is visible. It must be False on the clean mock and True
with the fault; which *check* catches the fault is proven elsewhere (tests/checks/).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from conformance.mock.app import create_app
from conformance.mock.faults import FAULTS, UnknownFault, describe_faults, select_faults
from conformance.mock.fixture import MOCK_TOKEN, TASK_STATUSES, Fixture
from conformance.spec import requirements
from tests.mock.conftest import RESTRICTED, MockClient

FIXTURE = Fixture.default()
LATEST, BIG, OLD = FIXTURE.run_ids
Build = Callable[..., MockClient]


def body(client: MockClient, **params: Any) -> Any:
    return client.containers(params).json()


def containers(client: MockClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = body(client, **params)["data"]["containers"]
    return items


def bounded_walk(client: MockClient, limit: int = 20, **params: Any) -> tuple[list[str], bool]:
    """Names along a cursor walk of at most ``limit`` pages, and whether it ended."""
    seen: list[str] = []
    query = dict(params)
    for _ in range(limit):
        page = client.containers(query).json()
        seen += [item["name"] for item in page["data"]["containers"]]
        cursor = page["pagination"].get("cursor")
        if not page["pagination"]["hasNextPage"] and cursor is None:
            return seen, True
        query["cursor"] = cursor
    return seen, False


def big_names() -> list[str]:
    run = FIXTURE.jobs[0].run(BIG)
    assert run is not None
    return [item.name for item in run.page(0, run.container_count)]


def status(client: MockClient, path: str | None = None, **kwargs: Any) -> int:
    return client.get(path or client.containers_path, **kwargs).status_code


def _ms_by_cursor_only(client: MockClient) -> bool:
    """Page 2 of the big run by cursor gives createdAt in milliseconds, by number in seconds."""
    cursor = body(client, runId=BIG)["pagination"]["cursor"]
    by_cursor = containers(client, runId=BIG, cursor=cursor)[0]["createdAt"]
    by_number = containers(client, runId=BIG, page=2)[0]["createdAt"]
    return bool(by_cursor == by_number * 1000)


def not_found(client: MockClient) -> Any:
    return client.get(f"/v1/projects/nope/jobs/{FIXTURE.job_id}/containers")


PROBES: dict[str, Callable[[Build], bool]] = {
    "created-at-string": lambda b: any(isinstance(c["createdAt"], str) for c in containers(b())),
    "updated-at-zero": lambda b: any(c["updatedAt"] == 0 for c in containers(b())),
    "timestamps-in-ms-by-cursor": lambda b: _ms_by_cursor_only(b()),
    "missing-name": lambda b: any("name" not in c for c in containers(b())),
    "status-outside-enum": lambda b: any(c["status"] not in TASK_STATUSES for c in containers(b())),
    "missing-run-id": lambda b: "runId" not in body(b())["data"],
    "containers-as-object": lambda b: not isinstance(body(b())["data"]["containers"], list),
    "data-flattened": lambda b: "data" not in body(b()),
    "body-is-array": lambda b: isinstance(body(b()), list),
    "missing-pagination": lambda b: "pagination" not in body(b()),
    "has-next-page-string": lambda b: body(b())["pagination"]["hasNextPage"] not in (True, False),
    "cursor-not-string": lambda b: (
        not isinstance(body(b(), runId=BIG)["pagination"]["cursor"], str)
    ),
    "count-missing": lambda b: "count" not in body(b())["pagination"],
    "byoc-fields-wrong-type": lambda b: any(
        not isinstance(c.get("nodeName", ""), str) or not isinstance(c.get("ipAddresses", []), list)
        for c in containers(b())
    ),
    "count-is-total": lambda b: body(b(), runId=BIG, per_page=10)["pagination"]["count"] != 10,
    "page-size-off-by-one": lambda b: len(containers(b(), runId=BIG, per_page=10)) > 10,
    "per-page-ignored": lambda b: len(containers(b(), runId=BIG, per_page=10)) != 10,
    "no-max-per-page": lambda b: (
        b().containers({"runId": BIG, "per_page": 150}).status_code == 200
        and len(containers(b(), runId=BIG, per_page=150)) > 100
    ),
    "default-page-size-20": lambda b: len(containers(b(), runId=BIG)) != 50,
    "page-ignored": lambda b: (
        containers(b(), runId=BIG, per_page=10, page=2) == containers(b(), runId=BIG, per_page=10)
    ),
    "cursor-ignored": lambda b: (
        containers(b(), runId=BIG, cursor=body(b(), runId=BIG)["pagination"]["cursor"])
        == containers(b(), runId=BIG)
    ),
    "overlapping-pages": lambda b: len(set(names := bounded_walk(b(), runId=BIG)[0])) < len(names),
    "skipped-items": lambda b: len(bounded_walk(b(), runId=BIG)[0]) < 237,
    "looping-cursor": lambda b: not bounded_walk(b(), runId=BIG, per_page=100)[1],
    "unstable-order": lambda b: containers(client := b()) != containers(client),
    "has-next-page-false": lambda b: (
        body(b(), runId=BIG)["pagination"]["hasNextPage"] is False
        and bool(containers(b(), runId=BIG, page=2))
    ),
    "cursor-on-last-page": lambda b: "cursor" in body(b())["pagination"],
    "null-cursor-on-last-page": lambda b: body(b())["pagination"].get("cursor", "") is None,
    "beyond-end-404": lambda b: status(b(), params={"page": 99}) == 404,
    "server-error-on-mid-per-page": lambda b: (
        status(b(), params={"per_page": 30}) == 500
        and status(b(), params={"per_page": 50}) == 200
        and status(b(), params={"per_page": 7}) == 200
    ),
    "unfiltered-has-next-page-job-wide": lambda b: body(b())["pagination"]["hasNextPage"],
    "has-next-page-at-exact-multiple": lambda b: body(  # 237 containers = 3 full pages of 79
        b(), runId=_run_of(237), per_page=79, page=3
    )["pagination"]["hasNextPage"],
    "invalid-params-accepted": lambda b: all(
        status(b(), params={name: value}) == 200
        for name, value in [("per_page", "0"), ("page", "x"), ("cursor", "nope")]
    ),
    "cursor-needs-escaping": lambda b: (
        not re.fullmatch(
            r"[A-Za-z0-9._~-]+", cursor := body(b(), runId=BIG)["pagination"]["cursor"]
        )
        and containers(b(), cursor=cursor) == containers(b(), runId=BIG, page=2)
    ),
    "run-id-ignored": lambda b: (
        [c["name"] for c in containers(b(), runId=BIG, per_page=100)] != big_names()[:100]
        and body(b(), runId=BIG)["data"]["runId"] == BIG
    ),
    "run-id-echo-latest": lambda b: body(b(), runId=BIG)["data"]["runId"] != BIG,
    "run-id-dropped-on-later-pages": lambda b: (
        bounded_walk(b(), runId=BIG, per_page=100)[0] != big_names()
    ),
    "default-run-not-latest": lambda b: body(b())["data"]["runId"] != LATEST,
    "unknown-run-falls-back": lambda b: status(b(), params={"runId": "no-such-run"}) == 200,
    "run-id-prefix-match": lambda b: (
        status(b(), params={"runId": BIG + "0"}) == 200
        and status(b(), params={"runId": BIG[:-1]}) == 200
    ),
    "past-end-names-latest-run": lambda b: (
        body(b(), runId=BIG, per_page=100, page=4)["data"]["runId"] == LATEST
        and body(b(), runId=BIG, per_page=100, page=3)["data"]["runId"] == BIG
    ),
    "per-page-minus-one": lambda b: (
        len(containers(b(), per_page=5)) == 4 and len(containers(b(), runId=BIG)) == 50
    ),
    "auth-not-enforced": lambda b: all(
        status(b(), headers=headers) == 200
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer nf-x"})
    ),
    "restricted-token-allowed": lambda b: status(b(), headers=RESTRICTED) == 200,
    "restricted-token-401": lambda b: status(b(), headers=RESTRICTED) == 401,
    "bearer-scheme-unchecked": lambda b: all(
        status(b(), headers={"Authorization": value}) == 200
        for value in (MOCK_TOKEN, f"Basic {MOCK_TOKEN}")
    ),
    "team-route-reversed": lambda b: (
        (client := b()).get(client.team_containers_path).json() != body(client)
    ),
    "team-route-missing": lambda b: status(client := b(), client.team_containers_path) == 404,
    "unknown-project-200": lambda b: all(
        status(b(), path) == 200
        for path in (
            f"/v1/projects/nope/jobs/{FIXTURE.job_id}/containers",
            f"/v1/teams/nope/projects/nope/jobs/{FIXTURE.job_id}/containers",
        )
    ),
    "job-id-prefix-match": lambda b: (
        status(b(), f"/v1/projects/{FIXTURE.project_id}/jobs/nightly/containers") == 200
    ),
    "not-found-as-400": lambda b: (
        not_found(b()).status_code == 400 and status(b(), params={"runId": "nope"}) == 400
    ),
    "method-not-allowed-404": lambda b: (
        (client := b()).request("POST", client.containers_path).status_code == 404
    ),
    "partial-content-206": lambda b: status(b()) == 206,
    "wrong-content-type": lambda b: (
        b().containers().headers["content-type"].split(";")[0] != "application/json"
    ),
    "server-error-on-bad-input": lambda b: status(b(), params={"per_page": "abc"}) >= 500,
    "no-ratelimit-headers": lambda b: "x-ratelimit-limit" not in b().containers().headers,
    "rate-limit-as-403": lambda b: (
        (client := b(rate_limit=1)).containers().status_code == 200
        and (second := client.containers()).status_code == 403
        and "retry-after" not in second.headers
    ),
    "html-error-pages": lambda b: not_found(b()).headers["content-type"].startswith("text/html"),
    "error-shape-flat": lambda b: not isinstance(not_found(b()).json().get("error"), dict),
    "error-status-mismatch": lambda b: not_found(b()).json()["error"]["status"] != 404,
    "error-leaks-data": lambda b: all(
        "data" in b().containers(headers=headers).json() for headers in ({}, RESTRICTED)
    ),
}


def _run_of(count: int) -> str:
    job = FIXTURE.job(FIXTURE.job_id)
    assert job is not None
    return next(run.id for run in job.runs if run.container_count == count)


def builder(*faults: str) -> Build:
    def build(**kwargs: Any) -> MockClient:
        return MockClient(create_app(FIXTURE, faults, **kwargs))

    return build


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_shows_only_when_selected(name: str) -> None:
    probe = PROBES[name]
    assert probe(builder()) is False, f"the clean mock already shows {name}"
    assert bool(probe(builder(name))) is True, f"{name} does not show"


def test_every_fault_has_a_probe() -> None:
    assert set(PROBES) == set(FAULTS)


def test_there_are_enough_faults_each_breaking_a_known_requirement() -> None:
    assert len(FAULTS) >= 25
    known = requirements()
    for fault in FAULTS.values():
        assert fault.requirement in known, fault.name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fault.name)
        assert fault.description
        assert len(fault.description) < 100


def test_describe_faults_gives_one_line_each() -> None:
    lines = describe_faults()
    assert len(lines) == len(FAULTS)
    for line, fault in zip(lines, FAULTS.values(), strict=True):
        assert line.split()[:2] == [fault.name, fault.requirement]
        assert line.endswith(fault.description)


def test_an_unknown_fault_names_close_matches() -> None:
    with pytest.raises(
        UnknownFault, match=r"Unknown fault 'cursor-ignord'\. Did you mean 'cursor-ignored'"
    ):
        select_faults(["cursor-ignord"])
    with pytest.raises(UnknownFault, match="--list-faults"):
        create_app(faults=["zzzz"])


def test_faults_combine_in_order_and_repeat_once() -> None:
    selected = select_faults(["not-found-as-400", "html-error-pages", "not-found-as-400"])
    assert selected.names == ["not-found-as-400", "html-error-pages"]
    response = not_found(builder("not-found-as-400", "html-error-pages")())
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
