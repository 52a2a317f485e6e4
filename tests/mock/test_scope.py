"""A fault scoped to cells of the path matrix (``NAME@team``, ``NAME@cursor,last``) hits those
requests and no other; an unknown scope is a clear error."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from conformance.mock.app import create_app
from conformance.mock.faults import UnknownFault, select_faults
from conformance.mock.faults.scope import SCOPE_NAMES
from conformance.mock.fixture import Fixture
from tests.mock.conftest import MockClient

FIXTURE = Fixture.default()
LATEST, BIG, OLD = FIXTURE.run_ids


def client(*faults: str) -> MockClient:
    return MockClient(create_app(FIXTURE, faults), FIXTURE)


def pagination(c: MockClient, *, team: bool = False, **params: Any) -> dict[str, Any]:
    path = c.team_containers_path if team else c.containers_path
    response = c.get(path, params)
    assert response.status_code == 200, response.text
    value: dict[str, Any] = response.json()["pagination"]
    return value


def test_a_route_scope_hits_only_that_route() -> None:
    c = client("count-is-total@team")
    assert pagination(c, per_page=5)["count"] == 5
    assert pagination(c, team=True, per_page=5)["count"] == 12


def test_values_of_different_dimensions_narrow_the_scope() -> None:
    c = client("cursor-on-last-page@cursor,last")
    assert "cursor" not in pagination(c, per_page=100)  # one page: plain access, not cursor
    first = pagination(c, per_page=5)
    second = pagination(c, per_page=5, cursor=first["cursor"])
    last = pagination(c, per_page=5, cursor=second["cursor"])
    assert last["hasNextPage"] is False
    assert "cursor" in last
    assert "cursor" not in pagination(c, per_page=5, page=3)  # last, but by page number


def test_values_of_one_dimension_widen_it() -> None:
    c = client("count-is-total@small,max")
    assert pagination(c, per_page=5)["count"] == 12
    assert pagination(c, per_page=100)["count"] == 12
    assert pagination(c)["count"] == 12  # the default size is neither: the whole run fits
    c = client("count-is-total@small")
    assert pagination(c, per_page=100, runId=BIG)["count"] == 100


def test_position_scopes_follow_the_clean_listing() -> None:
    c = client("count-is-total@past-end")
    assert pagination(c, per_page=5, page=3)["count"] == 2
    assert pagination(c, per_page=5, page=4)["count"] == 12
    c = client("count-is-total@middle,runId")
    assert pagination(c, per_page=100, runId=BIG, page=2)["count"] == 237
    assert pagination(c, per_page=100, runId=BIG, page=3)["count"] == 37
    assert pagination(c, per_page=5, page=2)["count"] == 5  # middle, but unfiltered


def test_the_runs_list_is_in_no_scope() -> None:
    c = client("not-found-as-400@team")
    runs = f"/v1/projects/{FIXTURE.project_id}/jobs/missing/runs"
    assert c.get(runs).status_code == 404
    team = f"/v1/teams/{FIXTURE.team_id}/projects/{FIXTURE.project_id}/jobs/missing/containers"
    assert c.get(team).status_code == 400
    assert c.get(f"/v1/projects/{FIXTURE.project_id}/jobs/missing/containers").status_code == 404


def test_scoped_names_and_repeats() -> None:
    selected = select_faults(["count-is-total@TEAM,cursor", "count-is-total", "count-is-total"])
    assert selected.names == ["count-is-total@team,cursor", "count-is-total"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "count-is-total@teem",
            r"Unknown scope 'teem' in 'count-is-total@teem'\. Did you mean 'team'",
        ),
        ("count-is-total@", r"Unknown scope '' in 'count-is-total@'"),
        ("count-is-totl@team", r"Unknown fault 'count-is-totl'"),
    ],
)
def test_an_unknown_scope_is_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(UnknownFault, match=message):
        select_faults([spec])


def test_every_scope_name_is_listed_in_the_error() -> None:
    with pytest.raises(UnknownFault) as error:
        select_faults(["count-is-total@nowhere"])
    assert all(name in str(error.value) for name in SCOPE_NAMES)


def test_the_command_rejects_an_unknown_scope_without_a_traceback() -> None:
    command = [sys.executable, "-m", "conformance.cli", "mock", "--port", "0"]
    result = subprocess.run(
        [*command, "--fault", "cursor-ignored@teem"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Unknown scope 'teem'" in result.stderr
    assert "Traceback" not in result.stderr
