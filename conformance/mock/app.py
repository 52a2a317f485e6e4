"""The mock as an ASGI app: both container routes and the runs list, with optional faults.

:func:`create_app` wires the pipeline (pipeline.py: :class:`MockServer`) to its fixture, faults
and rate limit (ratelimit.py) inside a Starlette app. The steps of a request live in auth,
query, pages and errors; the names below stay importable from here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from conformance.mock.auth import PERMISSION
from conformance.mock.configurations import select_configuration
from conformance.mock.faults import FaultSet, select_faults
from conformance.mock.fixture import Fixture
from conformance.mock.pipeline import ALLOWED_METHODS, MockServer
from conformance.mock.ratelimit import RATE_WINDOW_S, UNENFORCED_LIMIT, RateLimit

__all__ = [
    "ALLOWED_METHODS",
    "PERMISSION",
    "RATE_WINDOW_S",
    "UNENFORCED_LIMIT",
    "MockServer",
    "create_app",
]


class _Dispatch:
    """Every HTTP request goes to the mock, whatever its path; lifespan goes on to Starlette."""

    def __init__(self, app: ASGIApp, server: MockServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
        else:
            await self.server(scope, receive, send)


def create_app(
    fixture: Fixture | None = None,
    faults: Iterable[str] = (),
    *,
    rate_limit: int | None = None,
    rate_window_s: float = RATE_WINDOW_S,
    clock: Callable[[], float] = time.monotonic,
    configuration: str | None = None,
) -> Starlette:
    """The mock as a Starlette app. ``faults`` names entries of ``faults.FAULTS``.

    ``configuration`` names a conformant variant of ``configurations.CONFIGURATIONS`` (a lenient
    server, one that echoes tokens); it applies before the faults.

    ``rate_limit=N`` enforces N requests per window (429 with Retry-After beyond it); without it
    the x-ratelimit-* headers still count requests but nothing is refused.
    """
    fault_set = select_faults(faults)
    hooks = select_configuration(configuration)
    if hooks is not None:
        fault_set = FaultSet((hooks, *fault_set.faults))
    ratelimit = RateLimit(rate_limit, rate_window_s, clock)
    server = MockServer(fixture or Fixture.default(), fault_set, ratelimit)
    app = Starlette(middleware=[Middleware(_Dispatch, server=server)])
    app.state.mock = server
    return app
