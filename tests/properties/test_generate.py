"""Planning: what is generated, from where, and that the seed alone decides it."""

from __future__ import annotations

import importlib
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from schemathesis import GenerationMode

from conformance.context import CheckContext, Route
from conformance.options import RunOptions, mock_target
from conformance.properties import generate
from conformance.properties import schema as st_schema
from conformance.target import open_client


@pytest.fixture
def ctx() -> CheckContext:
    target = mock_target(RunOptions())
    return CheckContext(client=open_client(target.settings, target.app), seed=3)


def described(planned: list[generate.Planned]) -> list[tuple[str, str, str]]:
    return [(p.kind, p.route, repr(generate_request(p))) for p in planned]


def generate_request(planned: generate.Planned) -> tuple[str, dict[str, str]]:
    from conformance.properties.wire import request_of

    return request_of(planned.case)


def test_a_plan_depends_only_on_the_seed(ctx: CheckContext) -> None:
    first = described(generate.plan(ctx, st_schema.load(), 5))
    assert first == described(generate.plan(ctx, st_schema.load(), 5))
    ctx.seed = 4
    assert first != described(generate.plan(ctx, st_schema.load(), 5))
    assert ctx.client.requests_sent == 0  # planning sends nothing


def test_the_plan_covers_both_routes_every_kind_and_only_get(ctx: CheckContext) -> None:
    planned = generate.plan(ctx, st_schema.load(), 5)
    assert {p.route for p in planned} == {"project", "team"}
    assert {p.kind for p in planned} == {"coverage", "fuzz", "unknown-id"}
    assert {p.case.method.upper() for p in planned} == {"GET"}
    assert {p.kind for p in planned[:3]} == {"coverage", "fuzz"}  # interleaved, not in blocks


def test_coverage_pins_the_target_ids_and_negates_only_the_query(ctx: CheckContext) -> None:
    op = st_schema.operation(st_schema.load(), "project")
    pins = st_schema.path_parameters(ctx, "project")
    planned = generate.coverage(op, "project", pins)
    assert all(p.case.path_parameters == pins for p in planned)
    assert all(not p.case.headers for p in planned)  # auth is the client's job
    sent = [generate_request(p)[1] for p in planned]
    assert {"per_page": "101"} in sent  # a boundary, judged on its own
    assert {"per_page": "1"} in sent
    assert {"page": "AAA"} in sent
    assert all("x-schemathesis-unknown-property" not in query for query in sent)
    assert all(query.get("cursor") != "" for query in sent)  # no empty fillers


def test_fuzzed_queries_are_sendable_and_keep_the_target_ids(ctx: CheckContext) -> None:
    op = st_schema.operation(st_schema.load(), "project")
    pins = st_schema.path_parameters(ctx, "project")
    for mode in GenerationMode:
        planned = generate.fuzz(op, "project", pins, mode, 6, seed=5)
        assert len(planned) == 6
        for p in planned:
            assert p.case.path_parameters == pins
            assert p.case.meta is not None
            assert p.case.meta.generation.mode is mode
            assert generate._sendable(p.case)


def test_unknown_ids_differ_from_the_target_ids(ctx: CheckContext) -> None:
    cases: list[tuple[Route, tuple[str, ...]]] = [
        ("project", ("projectId", "jobId")),
        ("team", ("teamId",)),
    ]
    for route, names in cases:
        op = st_schema.operation(st_schema.load(), route)
        pins = st_schema.path_parameters(ctx, route)
        planned = generate.unknown_ids(op, route, pins, seed=1)
        assert len(planned) == len(names)
        for p, name in zip(planned, names, strict=True):
            assert p.case.path_parameters[name] != pins[name]
            assert generate.PLAIN_ID.fullmatch(p.case.path_parameters[name])
            others = {k: v for k, v in p.case.path_parameters.items() if k != name}
            assert others == {k: v for k, v in pins.items() if k != name}


def test_without_a_team_id_the_team_route_is_left_out(ctx: CheckContext) -> None:
    ctx.client.settings = replace(ctx.settings, team_id=None)
    assert st_schema.routes(ctx) == ["project"]


def test_loaded_modules_do_not_change_what_a_seed_generates(
    ctx: CheckContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hypothesis draws constants from the source of loaded local modules; a plan must not."""
    before = described(generate.plan(ctx, st_schema.load(), 5))
    words = ", ".join(repr(f"nf-constant-{index}") for index in range(300))
    numbers = ", ".join(str(7_000 + index) for index in range(300))
    (tmp_path / "nf_local_constants.py").write_text(f"WORDS = [{words}]\nNUMBERS = [{numbers}]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "nf_local_constants", raising=False)
    importlib.import_module("nf_local_constants")
    after = described(generate.plan(ctx, st_schema.load(), 5))
    assert not any("nf-constant-" in text for _, _, text in after)
    assert after == before


@pytest.mark.parametrize("run_id", [None, "r-walked"])
def test_every_other_positive_case_asks_a_real_listing_for_a_mid_sized_page(
    ctx: CheckContext, run_id: str | None
) -> None:
    """A generated cursor or runId names nothing, so a server may refuse before reading
    per_page: every other positive case drops them and keeps a per_page from 2 to 99."""
    op = st_schema.operation(st_schema.load(), "project")
    pins = st_schema.path_parameters(ctx, "project")
    planned = generate.fuzz(op, "project", pins, GenerationMode.POSITIVE, 5, 7, run_id)
    real = [generate_request(p)[1] for n, p in enumerate(planned, 1) if n % 2]
    assert len(real) == 3
    for query in real:
        assert "cursor" not in query
        assert query.get("runId") == run_id
        assert 1 <= int(query["per_page"]) <= 100
    assert any(2 <= int(query["per_page"]) <= 99 for query in real)


@pytest.mark.slow
def test_a_server_error_on_mid_sized_pages_fails_the_run() -> None:
    """Only the generated per_page values fall between the walks' sizes (7, 50, 100 and the
    exact fit): the property checks catch this fault, the hand-written ones never ask."""
    from conformance.runner import execute, select_checks

    statuses = {}
    for faults in ((), ("server-error-on-mid-per-page",)):
        result = execute(mock_target(RunOptions(), faults=faults), select_checks(), seed=1)
        statuses[faults] = {c.id: c.status.value for c in result.checks}["NF-HTTP-100"]
    assert statuses == {(): "passed", ("server-error-on-mid-per-page",): "failed"}
