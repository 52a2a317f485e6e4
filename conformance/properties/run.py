"""One property run per conformance run: every generated and walked request, sent once.

The first property check to run starts it; the others read the same memoised result from
``ctx.cache``, so the property checks together cost at most ``Options.max_requests`` requests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from conformance.properties import generate, wire
from conformance.properties import schema as st_schema
from conformance.properties.generate import Sent
from conformance.properties.links import LinkWalk, walk
from conformance.spec import MAX_PER_PAGE
from conformance.target import BudgetExhausted

if TYPE_CHECKING:
    from schemathesis import APIOperation

    from conformance.context import CheckContext
    from conformance.properties.generate import Kind, Planned

PROPERTY_SHARE = 40  # the property checks' share of a run's requests
WALK_PAGE_SIZES = (3, 4, 5)  # small pages, so the walk follows the link a few times

_OPTIONS_KEY = "properties.options"
_RUN_KEY = "properties.run"


@dataclass(frozen=True)
class Options:
    """How much the property checks may ask of a target."""

    max_requests: int = PROPERTY_SHARE  # all property requests together (retries included)
    fuzz_examples: int = 5  # hypothesis cases per mode (positive, negative) on the project route
    walk_steps: int = 6  # requests per cursor-link walk
    fallback_steps: int = 4  # requests of the per_page=100 walk when the small one did not end


def configure(ctx: CheckContext, **changes: Any) -> Options:
    """Set this run's options (before the first property check runs), e.g. ``max_requests=20``."""
    options = replace(options_of(ctx), **changes)
    ctx.cache[_OPTIONS_KEY] = options
    return options


def options_of(ctx: CheckContext) -> Options:
    options = ctx.cache.get(_OPTIONS_KEY)
    return options if isinstance(options, Options) else Options()


class PropertyBudgetSpent(Exception):
    """The property checks' own share of requests is spent (not the run's budget)."""


@dataclass
class PropertyRun:
    seed: int
    options: Options
    sent: list[Sent] = field(default_factory=list)
    walks: list[LinkWalk] = field(default_factory=list)
    planned: int = 0  # generated requests planned (walks not included)
    unsent: int = 0  # planned but not sent: the property share ran out
    stopped: str | None = None  # why the run's own budget (or deadline, or quota) stopped us
    requests: int = 0  # requests the property checks cost, retries included
    elapsed_s: float = 0.0

    def of_kind(self, *kinds: Kind) -> list[Sent]:
        return [sent for sent in self.sent if sent.kind in kinds]


class _Sender:
    def __init__(self, ctx: CheckContext, run: PropertyRun) -> None:
        self._ctx = ctx
        self._run = run
        self._start = ctx.client.requests_sent

    def __call__(self, planned: Planned) -> Sent:
        used = self._ctx.client.requests_sent - self._start
        if used >= self._run.options.max_requests:
            raise PropertyBudgetSpent
        path, query = wire.request_of(planned.case)
        try:
            exchange = self._ctx.client.get(path, query)
        finally:
            self._run.requests = self._ctx.client.requests_sent - self._start
        sent = Sent(planned, exchange, wire.response_of(exchange, self._ctx.settings))
        self._run.sent.append(sent)
        return sent


def _walks(ctx: CheckContext, schema: Any, send: _Sender, run: PropertyRun) -> None:
    """A small-page walk per route; on the project route, when it does not reach the last page
    within its steps, a second walk at per_page=100. The team route's walk is shorter: it only
    shows that the link works there too."""
    options = run.options
    for route in st_schema.routes(ctx):
        op: APIOperation[Any, Any, Any, Any] = st_schema.operation(schema, route)
        pins = st_schema.path_parameters(ctx, route)
        sizes = WALK_PAGE_SIZES
        per_page = sizes[generate.stream_seed(ctx.seed, "walk", route) % len(sizes)]
        if route == "project":
            plan = [(per_page, options.walk_steps), (MAX_PER_PAGE, options.fallback_steps)]
        else:
            plan = [(per_page, max(2, options.walk_steps // 2))]
        for size, steps in plan:
            if steps <= 0:
                break
            if size == MAX_PER_PAGE and ctx.any_endless_listing() is not None:
                break  # the fallback walks towards the end, which a walk found never comes
            query = {"per_page": str(size)}
            if ctx.settings.run_id:
                query["runId"] = ctx.settings.run_id
            result = walk(op, route, (pins, query), send, steps)
            run.walks.append(result)
            if result.walk.outcome != "cap":
                break


def property_run(ctx: CheckContext) -> PropertyRun:
    """The run's property requests and their responses; sent on the first call only."""
    cached = ctx.cache.get(_RUN_KEY)
    if isinstance(cached, PropertyRun):
        return cached
    started = time.monotonic()
    run = PropertyRun(seed=ctx.seed, options=options_of(ctx))
    schema = st_schema.load()
    planned = generate.plan(ctx, schema, run.options.fuzz_examples)
    run.planned = len(planned)
    send = _Sender(ctx, run)
    sent_planned = 0
    try:
        _walks(ctx, schema, send, run)
        for item in planned:
            send(item)
            sent_planned += 1
    except PropertyBudgetSpent:
        pass
    except BudgetExhausted as error:  # TargetUnreachable too: the runner exits 3 after
        run.stopped = str(error) or type(error).__name__
    finally:
        run.unsent = len(planned) - sent_planned
        run.elapsed_s = time.monotonic() - started
        ctx.cache[_RUN_KEY] = run
    return run
