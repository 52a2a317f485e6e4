"""The run's plan over the path matrix: every reachable cell reached, the rest explained, a
default live run within 150 requests."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conformance.context import CheckContext
from conformance.matrix import CELLS
from conformance.mock.fixture import Fixture
from conformance.mock.server import serve_in_thread
from conformance.options import RunOptions, mock_target
from conformance.probes import FOLLOW_UPS, LABELS, plan
from conformance.runner import execute, select_checks
from conformance.target import open_client

DEFAULT_REASON = "no request of this run reached it"


def coverage_of(fixture: Fixture | None = None, **settings: Any) -> dict[str, Any]:
    target = mock_target(RunOptions(), fixture=fixture) if fixture else mock_target(RunOptions())
    target.settings = dataclasses.replace(target.settings, **settings)
    with open_client(target.settings, target.app) as client:
        ctx = CheckContext(client)
        ctx.baseline()
        plan(ctx)
        return {"ctx": ctx, "matrix": ctx.received.coverage.as_dict(), "sent": client.requests_sent}


def test_every_cell_is_reached_or_has_its_own_reason() -> None:
    found = coverage_of()
    matrix = found["matrix"]
    assert isinstance(matrix, dict)
    for cell in matrix["cells"]:
        assert cell["responses"] or DEFAULT_REASON not in cell["reason"], cell
    reached = {
        (c["route"], c["run_filter"], c["access"], c["position"])
        for c in matrix["cells"]
        if c["responses"]
    }
    # the default mock: a 12-container latest run, a 237-container walk run, no empty run
    for route in ("project", "team"):
        for access, position in (("cursor", "middle"), ("cursor", "last"), ("page", "past-end")):
            assert (route, "runId", access, position) in reached
    assert not any(c["responses"] for c in matrix["cells"] if c["position"] == "empty")
    assert matrix["covered"] == 76  # the checks reach 2 more: single-page listings of other runs


def test_an_empty_listing_reaches_the_empty_cells() -> None:
    matrix = coverage_of(Fixture.default(containers=0))["matrix"]
    assert isinstance(matrix, dict)
    empty = [
        c for c in matrix["cells"] if c["run_filter"] == "unfiltered" and c["position"] == "empty"
    ]
    assert empty
    assert all(c["responses"] for c in empty)


def test_without_a_team_id_the_team_cells_say_how_to_reach_them() -> None:
    matrix = coverage_of(team_id=None)["matrix"]
    assert isinstance(matrix, dict)
    team = [c for c in matrix["cells"] if c["route"] == "team"]
    assert len(team) == len(CELLS) // 2
    assert all(not c["responses"] and "--team-id" in c["reason"] for c in team)


def test_a_probe_reads_each_position_once_and_reuses_the_walks() -> None:
    found = coverage_of()
    ctx = found["ctx"]
    assert isinstance(ctx, CheckContext)
    probes = {probe.slice: probe for probe in plan(ctx)}
    big = probes[("team", "runId", "max")]
    assert big.page_count == 3
    assert set(big.pages) == set(LABELS)
    small = probes[("project", "unfiltered", "max")]
    assert small.page_count == 1
    assert set(small.pages) == {"first", "page-1", "past-end"}
    assert found["sent"] <= 75


@pytest.mark.slow
def test_a_default_live_run_stays_within_150_requests() -> None:
    target = mock_target(RunOptions())
    assert target.app is not None
    with serve_in_thread(target.app) as base_url:
        settings = dataclasses.replace(target.settings, base_url=base_url, rate_per_s=None)
        live = dataclasses.replace(target, settings=settings, app=None)
        result = execute(live, select_checks(), seed=1)
    assert [c.id for c in result.checks if c.status == "failed"] == []
    assert result.requests_sent <= 150
    assert result.matrix["covered"] == 78


@pytest.mark.parametrize(
    ("total", "size"), [(237, 79), (12, 6), (200, 100), (41, 41), (1, 1), (101, None), (0, None)]
)
def test_the_exact_fit_page_size_divides_the_listing(total: int, size: int | None) -> None:
    from conformance.probes import exact_page_size

    assert exact_page_size(total) == size


def test_an_off_by_one_at_an_exact_multiple_is_caught_whatever_the_runs_length() -> None:
    """237 containers: no default probe size (7, 50, 100) divides it; per_page=79 does."""
    from conformance import mutation

    result = mutation.fault_run("has-next-page-at-exact-multiple@runId,page,small,last")
    failed = {c.id: c.message for c in result.checks if c.status == "failed"}
    assert "per_page=79" in failed.get("NF-PAG-010", ""), failed
    assert not [c.id for c in mutation.fault_run(None).checks if c.status == "failed"]


class _FreshCursors:
    """The mock behind a server that mints a new cursor for every answer (``<cursor>~<n>``) and
    accepts any of them: cursors no longer name a position, so each new one is worth following."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.minted = app, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = [
            (k, v.split("~")[0] if k == "cursor" else v)
            for k, v in parse_qsl(scope["query_string"].decode(), keep_blank_values=True)
        ]
        scope = {**scope, "query_string": urlencode(query).encode()}
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            data = json.loads(body)
            if data["pagination"].get("cursor"):
                self.minted += 1
                data["pagination"]["cursor"] += f"~{self.minted}"
                body = json.dumps(data).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize(("fresh", "follow_ups"), [(False, 0), (True, FOLLOW_UPS)])
def test_new_cursors_are_followed_within_their_allowance(fresh: bool, follow_ups: int) -> None:
    """Cursors of page 1 (by number) and of page 2 lead where the probe's own cursors lead; a
    server minting a new one each answer gets FOLLOW_UPS requests a run for them, no more."""
    target = mock_target(RunOptions())
    assert target.app is not None
    app = _FreshCursors(target.app) if fresh else target.app
    with open_client(target.settings, app) as client:
        ctx = CheckContext(client)
        ctx.baseline()
        probes = plan(ctx)
    followed = [p for p in probes for label in ("page-1-next", "next-next") if label in p.pages]
    assert ctx.allowance("follow-ups", FOLLOW_UPS).spent == follow_ups
    assert (len(followed) >= follow_ups) if fresh else not followed  # a repeat is memoised
