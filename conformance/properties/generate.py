"""The generated requests of a run, planned before the first is sent.

Three sources, all from the fragment:

- schemathesis's coverage phase: boundary and wrong-type values of each query parameter
  (per_page 0, 1, 100, 101, "AAA", page 0 ...), positive and negative; deterministic;
- hypothesis fuzzing of the query string, positive and negative, seeded from the run's seed;
- unknown path ids (project, job, team) drawn from the path parameters' schemas.

Path parameters are pinned to the target's ids (generated ids would only find nothing), except in
the unknown-id cases. A plan depends only on the fragment, the target's ids and the seed: the same
seed plans the same requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity
from schemathesis import GenerationMode

from conformance.properties import schema as st_schema

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy
    from schemathesis import APIOperation, BaseSchema, Case, Response

    from conformance.context import CheckContext, Route
    from conformance.target import Exchange

Kind = Literal["coverage", "fuzz", "unknown-id", "walk"]

MAX_QUERY_CHARS = 600  # longer generated query strings are not sent (a 414 would tell nothing)
MAX_ID_CHARS = 64
PLAIN_ID = re.compile(r"[A-Za-z0-9._~-]+")
_UNKNOWN_ID_PARAMETERS: dict[Route, tuple[str, ...]] = {
    "project": ("projectId", "jobId"),
    "team": ("teamId",),
}


@dataclass(frozen=True)
class Planned:
    """One generated request, not sent yet. ``label`` says where it came from, for messages."""

    kind: Kind
    route: Route
    case: Case[Any]
    label: str


@dataclass(frozen=True)
class Sent:
    """A generated (or walked) request and what came back."""

    planned: Planned
    exchange: Exchange
    response: Response | None  # None when no response arrived (exchange.error says why)

    @property
    def kind(self) -> Kind:
        return self.planned.kind

    @property
    def route(self) -> Route:
        return self.planned.route

    @property
    def case(self) -> Case[Any]:
        return self.planned.case

    @property
    def label(self) -> str:
        return self.planned.label


def stream_seed(seed: int, *parts: object) -> int:
    """A seed for one generation stream, derived from the run's seed (stable across processes)."""
    text = ":".join(map(str, (seed, *parts)))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def draw(strategy: SearchStrategy[Any], count: int, seed: int) -> list[Any]:
    """``count`` values from ``strategy``, the same ones for the same seed.

    No example database (nothing replayed from an earlier run), generation only (no shrinking:
    nothing fails in here), no health checks (slow or filtered generation is fine).
    """
    drawn: list[Any] = []
    if count <= 0:
        return drawn

    @hypothesis.seed(seed)
    @hypothesis.settings(
        max_examples=count,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )
    @hypothesis.given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn[:count]


@contextlib.contextmanager
def _without_local_constants() -> Iterator[None]:
    """Draw as if no module of ours were loaded.

    Hypothesis (6.13x and later) also draws string and number constants it finds in the source
    of every *local* module in ``sys.modules``, so which modules happen to be loaded, and whether
    this package is installed editable or from a wheel, would change what a seed generates. While
    we draw, that pool is empty (best effort: on a hypothesis without it, nothing changes).
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants

        original = providers._get_local_constants
        cache = providers.CONSTANTS_CACHE.cache
    except (ImportError, AttributeError):  # pragma: no cover - another hypothesis
        yield
        return
    empty = Constants()
    cache.clear()  # allowed values computed with the local pool
    setattr(providers, "_get_local_constants", lambda: empty)  # noqa: B010
    try:
        yield
    finally:
        setattr(providers, "_get_local_constants", original)  # noqa: B010
        cache.clear()


def _sendable(case: Case[Any]) -> bool:
    """A query the TargetClient can send as it is: UTF-8, short enough."""
    size = 0
    for key, value in (case.query or {}).items():
        text = f"{key}={value}"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        size += len(text)
    return size <= MAX_QUERY_CHARS


def _query_negated_only(case: Case[Any]) -> bool:
    """The case negates nothing but its query (headers and path are not ours to send)."""
    meta = case.meta
    if meta is None:
        return False
    return all(
        location.value == "query" or not component.mode.is_negative
        for location, component in meta.components.items()
    )


def _filler(name: str, value: Any, subject: str | None) -> bool:
    """A value the coverage phase adds beside the parameter a case is about."""
    return name != subject and (subject is not None or value == "")


def coverage(
    op: APIOperation[Any, Any, Any, Any],
    route: Route,
    pins: dict[str, str],
    run_id: str | None = None,
) -> list[Planned]:
    """schemathesis's coverage cases for the query, one per parameter and boundary or wrong type.

    Dropped: cases that negate headers (auth is the client's job), unexpected extra parameters
    (servers ignore them), and repeats of the same parameter value. A case about one parameter
    keeps only that parameter: fillers (``page=1``, ``cursor=``) would mask a per_page boundary
    behind a 400 for an empty cursor, and schemathesis 4.32.5's negative_data_rejection lets a
    valid filler neutralise a coverage case that records no mutations (so it never fails).
    With ``run_id`` (--run-id, ideally a run of several pages) every case lists that run.
    """
    schema = op.schema
    config = schema.config.generation_for(operation=op)
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    planned: list[Planned] = []
    seen: set[tuple[Any, ...]] = set()
    for case in schema.iter_coverage_cases(op, generation_modes=modes, generation_config=config):
        meta = case.meta
        if meta is None or case.method.upper() != "GET" or not _query_negated_only(case):
            continue
        data = meta.phase.data
        scenario = getattr(getattr(data, "scenario", None), "value", "")
        if scenario == "object_unexpected_properties":
            continue
        subject = getattr(data, "parameter", None)
        for name in [k for k, v in (case.query or {}).items() if _filler(k, v, subject)]:
            del case.query[name]
        case.path_parameters = dict(pins)
        if run_id and subject != "runId":
            case.query["runId"] = run_id  # boundaries judged on the run with most containers
        mode = meta.generation.mode.value
        value = (case.query or {}).get(subject) if subject else None
        key = (mode, subject, scenario, repr(value)) if subject else (mode, scenario)
        if key in seen or not _sendable(case):
            continue
        seen.add(key)
        description = getattr(data, "description", scenario)
        planned.append(Planned("coverage", route, case, f"coverage ({mode}): {description}"))
    return planned


def fuzz(
    op: APIOperation[Any, Any, Any, Any],
    route: Route,
    pins: dict[str, str],
    mode: GenerationMode,
    count: int,
    seed: int,
    run_id: str | None = None,
) -> list[Planned]:
    """``count`` query strings drawn by hypothesis from the parameters' schemas.

    Every other positive case keeps only its per_page and page, on a listing the server has
    (``run_id``, else the listing without runId): a generated cursor or runId names nothing,
    so the server may refuse the case before per_page is read, and a valid per_page between
    the boundaries would never be judged.
    """
    strategy = op.as_strategy(generation_mode=mode, path_parameters=pins)
    strategy = strategy.filter(lambda case: _sendable(case) and _query_negated_only(case))
    cases = draw(strategy, count, stream_seed(seed, "fuzz", route, mode.value))
    planned = []
    for number, case in enumerate(cases, 1):
        label = f"fuzz ({mode.value}) #{number}"
        if mode == GenerationMode.POSITIVE and number % 2:
            _on_a_listing(case, run_id, stream_seed(seed, "per_page", route, number))
            label = f"fuzz (positive, per_page and page on a real listing) #{number}"
        planned.append(Planned("fuzz", route, case, label))
    return planned


def _on_a_listing(case: Case[Any], run_id: str | None, seed: int) -> None:
    """The case without its generated cursor, with the target's run (or none) and, when it has
    none, a per_page between the boundaries the coverage cases hold (2..99, from ``seed``)."""
    query = case.query if case.query is not None else {}
    query.pop("cursor", None)
    query.pop("runId", None)
    if run_id:
        query["runId"] = run_id
    query.setdefault("per_page", str(2 + seed % 98))
    case.query = query


def _unknown_at(name: str, known: str) -> Callable[[Case[Any]], bool]:
    """Keeps cases whose ``name`` is an id unlike ``known``, short, and made of the characters
    ids are made of (URL-unreserved ASCII): a proxy routes it like any id, and a 400 for it
    cannot be blamed on its spelling."""

    def unknown(case: Case[Any]) -> bool:
        text = str(case.path_parameters[name])  # percent-encoded unless unreserved
        plain = PLAIN_ID.fullmatch(text) is not None
        return plain and text not in (".", "..", known) and len(text) <= MAX_ID_CHARS

    return unknown


def unknown_ids(
    op: APIOperation[Any, Any, Any, Any], route: Route, pins: dict[str, str], seed: int
) -> list[Planned]:
    """One request per id of the route, that id drawn from its schema (so unknown), no query."""
    planned: list[Planned] = []
    for name in _UNKNOWN_ID_PARAMETERS[route]:
        fixed = {key: value for key, value in pins.items() if key != name}
        strategy = op.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=fixed)
        strategy = strategy.filter(_unknown_at(name, pins[name]))
        # hypothesis starts from the simplest value ('0'); the last of a few depends on the seed
        for case in draw(strategy, 3, stream_seed(seed, "unknown", route, name))[-1:]:
            request = op.Case(path_parameters=dict(case.path_parameters), query={})
            label = f"unknown {name} {case.path_parameters[name]!r}"
            planned.append(Planned("unknown-id", route, request, label))
    return planned


def interleave(*groups: Iterable[Planned]) -> Iterator[Planned]:
    """Round-robin over ``groups``, so a budget cut keeps some of every kind."""
    iterators = [iter(group) for group in groups]
    while iterators:
        alive = []
        for iterator in iterators:
            item = next(iterator, None)
            if item is not None:
                yield item
                alive.append(iterator)
        iterators = alive


def plan(ctx: CheckContext, schema: BaseSchema, fuzz_examples: int) -> list[Planned]:
    """Every generated request of the run, in sending order (walks are not planned: they follow
    the responses)."""
    with _without_local_constants():
        return _plan(ctx, schema, fuzz_examples)


def _plan(ctx: CheckContext, schema: BaseSchema, fuzz_examples: int) -> list[Planned]:
    groups: list[list[Planned]] = []
    for route in st_schema.routes(ctx):
        op = st_schema.operation(schema, route)
        pins = st_schema.path_parameters(ctx, route)
        # The team route is the same operation: fewer requests, the same kinds of them.
        count = fuzz_examples if route == "project" else max(1, fuzz_examples // 3)
        if route == "project":
            groups.append(coverage(op, route, pins, ctx.settings.run_id))
        groups.append(fuzz(op, route, pins, GenerationMode.NEGATIVE, count, ctx.seed))
        positive = GenerationMode.POSITIVE
        groups.append(fuzz(op, route, pins, positive, count, ctx.seed, ctx.settings.run_id))
        groups.append(unknown_ids(op, route, pins, ctx.seed))
    return list(interleave(*groups))
