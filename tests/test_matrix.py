"""The path matrix: its cells, how a received page is classified, what coverage reports."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.matrix import CELLS, Cell, Coverage, classify
from conformance.target import Credential, Exchange
from conformance.walker import Page

PROJECT = "/v1/projects/p/jobs/j/containers"
TEAM = "/v1/teams/t/projects/p/jobs/j/containers"


def page(
    params: dict[str, str],
    *,
    items: int = 2,
    has_next: bool = False,
    path: str = PROJECT,
    status: int = 200,
) -> Page:
    body: Any = {
        "data": {"containers": [{"name": f"c{i}"} for i in range(items)], "runId": "r"},
        "pagination": {"hasNextPage": has_next, "count": items},
    }
    exchange = Exchange(
        method="GET",
        path=path,
        params=params,
        credential=Credential.PRIMARY,
        request_headers={},
        status=status,
        response_headers={"content-type": "application/json"},
        body=json.dumps(body).encode(),
        json=body if status == 200 else None,
    )
    return Page.parse(exchange)


def labels(found: list[Cell]) -> list[str]:
    return [cell.label for cell in found]


def test_the_matrix_leaves_out_only_what_no_conformant_server_produces() -> None:
    assert len(CELLS) == 2 * 2 * 3 * 10
    assert len(set(CELLS)) == len(CELLS)
    cursor_positions = {cell.position for cell in CELLS if cell.access == "cursor"}
    assert cursor_positions == {"middle", "last"}


@pytest.mark.parametrize(
    ("params", "kwargs", "expected"),
    [
        ({}, {"has_next": True}, ["project/unfiltered/plain/default/first"]),
        (
            {},
            {},
            ["project/unfiltered/plain/default/first", "project/unfiltered/plain/default/last"],
        ),
        ({}, {"items": 0}, ["project/unfiltered/plain/default/empty"]),
        ({"per_page": "100", "runId": "r"}, {"has_next": True}, ["project/runId/plain/max/first"]),
        (
            {"per_page": "7", "cursor": "c"},
            {"has_next": True},
            ["project/unfiltered/cursor/small/middle"],
        ),
        ({"per_page": "7", "cursor": "c"}, {}, ["project/unfiltered/cursor/small/last"]),
        ({"per_page": "7", "cursor": "c"}, {"items": 0}, []),  # no conformant server: no cell
        ({"page": "1"}, {"has_next": True}, ["project/unfiltered/page/default/first"]),
        ({"page": "1"}, {"items": 0}, ["project/unfiltered/page/default/empty"]),
        ({"page": "3"}, {"has_next": True}, ["project/unfiltered/page/default/middle"]),
        ({"page": "3"}, {}, ["project/unfiltered/page/default/last"]),
        ({"page": "9"}, {"items": 0}, ["project/unfiltered/page/default/past-end"]),
        ({"per_page": "0"}, {}, []),  # an invalid page size is no code path of the matrix
        ({"per_page": "101"}, {}, []),
        ({"page": "0"}, {}, []),
        ({"runId": ""}, {}, []),
    ],
)
def test_classify(params: dict[str, str], kwargs: dict[str, Any], expected: list[str]) -> None:
    assert labels(classify(page(params, **kwargs))) == expected


def test_the_team_route_and_errors() -> None:
    assert labels(classify(page({}, path=TEAM, has_next=True))) == [
        "team/unfiltered/plain/default/first"
    ]
    assert classify(page({}, status=404)) == []


def test_coverage_reports_every_cell_with_responses_or_a_reason() -> None:
    coverage = Coverage()
    coverage.add(page({"per_page": "100"}, has_next=True))
    coverage.add(page({"per_page": "100"}, has_next=True))
    first = Cell("project", "unfiltered", "plain", "max", "first")
    empty = Cell("project", "unfiltered", "plain", "max", "empty")
    coverage.why_not(empty, "the listing is not empty")
    coverage.why_not(empty, "a later reason does not replace the first")
    report = coverage.as_dict()
    assert (report["total"], report["covered"]) == (len(CELLS), 1)
    cells = {
        (c["route"], c["run_filter"], c["access"], c["size"], c["position"]): c
        for c in report["cells"]  # type: ignore[attr-defined]
    }
    assert cells[("project", "unfiltered", "plain", "max", "first")]["responses"] == 2
    assert "reason" not in cells[("project", "unfiltered", "plain", "max", "first")]
    assert cells[("project", "unfiltered", "plain", "max", "empty")]["reason"] == (
        "the listing is not empty"
    )
    assert first.slice == ("project", "unfiltered", "max")
