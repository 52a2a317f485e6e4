"""The mock as an ASGI app: both container routes and the runs list, with optional faults.

Order of decisions for every request: rate limit (429) -> route (404) -> method (405) ->
credentials (401) -> team, project, job (404) -> permission (403) -> query (400) -> run (404)
-> 200. Every error is ``{"error": {"status", "message", "id"}}`` as application/json, and no
request, however malformed, gets a 5xx from the clean mock.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conformance.mock import cursor
from conformance.mock.faults import FaultSet, select_faults
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture, Job
from conformance.mock.model import (
    Access,
    ApiError,
    Body,
    Ctx,
    Limits,
    Query,
    RouteKind,
    Selection,
    Window,
)

ALLOWED_METHODS = "GET, HEAD"
UNENFORCED_LIMIT = 100_000  # advertised when no limit is enforced; counts down honestly
RATE_WINDOW_S = 3600.0  # Northflank: the window resets one hour after its first request
PERMISSION = "Project > Jobs > Deployment > View Instance Logs"
_JOB_PATH = "/projects/([^/]+)/jobs/([^/]+)/(containers|runs)"
_ROUTES: list[tuple[re.Pattern[str], bool]] = [  # (pattern, is the team route)
    (re.compile(f"/v1{_JOB_PATH}"), False),
    (re.compile(f"/v1/teams/([^/]+){_JOB_PATH}"), True),
]
_INTEGER = re.compile(r"[0-9]+")
_HUGE = 10**30  # any larger page or per_page is as far past the end; keeps int() cheap
_SHOWN = 40  # characters of a bad value echoed in a message


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN else value[:_SHOWN] + "…")


class _RateLimit:
    """A fixed window counted from its first request, like Northflank's hourly limit."""

    def __init__(self, limit: int | None, window_s: float, clock: Callable[[], float]) -> None:
        self.enforced = limit is not None
        self.limit = limit if limit is not None else UNENFORCED_LIMIT
        self.window_s = window_s
        self.clock = clock
        self.start: float | None = None
        self.used = 0

    def hit(self) -> tuple[dict[str, str], ApiError | None]:
        now = self.clock()
        if self.start is None or now >= self.start + self.window_s:
            self.start, self.used = now, 0
        self.used += 1
        reset = max(math.ceil(self.start + self.window_s - now - 1e-6), 1)
        headers = {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(self.limit - self.used, 0)),
            "x-ratelimit-reset": str(reset),
        }
        if self.enforced and self.used > self.limit:
            message = f"Rate limit of {self.limit} requests exceeded; retry in {reset} seconds"
            error = ApiError(429, message, "rate-limited", headers={"Retry-After": str(reset)})
            return headers, error
        return headers, None


class MockServer:
    """The request pipeline. One instance per app; holds the request counter and rate limit."""

    def __init__(self, fixture: Fixture, faults: FaultSet, ratelimit: _RateLimit) -> None:
        self.fixture = fixture
        self.faults = faults
        self.ratelimit = ratelimit
        self.tokens = (MOCK_TOKEN, MOCK_RESTRICTED_TOKEN)
        self.sequence = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        request = Request(scope, receive)
        self.sequence += 1
        ctx = self._context(request)
        headers, limited = self.ratelimit.hit()
        try:
            if limited is not None:
                raise limited
            response = self._handle(ctx, request)
        except ApiError as error:
            response = self._error_response(ctx, error)
        except Exception:  # never a 5xx: whatever went wrong, the request is what we refuse
            refused = ApiError(400, "The request could not be processed", "bad-request")
            response = self._error_response(ctx, refused)
        response.headers.update(headers)
        response = self.faults.response(ctx, response)
        if ctx.method == "HEAD":
            send = _without_body(send)
        await response(scope, receive, send)

    # --- the pipeline ---------------------------------------------------------------------------

    def _context(self, request: Request) -> Ctx:
        path: str = request.scope.get("path", "")
        route: RouteKind = "none"
        team_route = False
        params: dict[str, str] = {}
        for pattern, is_team in _ROUTES:
            if match := pattern.fullmatch(path):
                *ids, last = match.groups()
                names = ["teamId", "projectId", "jobId"] if is_team else ["projectId", "jobId"]
                params = dict(zip(names, ids, strict=True))
                route = "containers" if last == "containers" else "runs"
                team_route = is_team
        return Ctx(
            fixture=self.fixture,
            method=request.method.upper(),
            path=path,
            route=route,
            team_route=team_route,
            params=params,
            authorization=request.headers.get("authorization"),
            sequence=self.sequence,
            tokens=self.tokens,
        )

    def _handle(self, ctx: Ctx, request: Request) -> Response:
        if ctx.route == "none":
            raise ApiError(404, f"Cannot {ctx.method} {_shown(ctx.path)}", "not-found")
        if ctx.method not in ("GET", "HEAD"):
            raise ApiError(
                405,
                f"Method {ctx.method} is not allowed here; use GET",
                "method-not-allowed",
                headers={"Allow": ALLOWED_METHODS},
            )
        access = self.faults.access(ctx, self._authenticate(ctx))
        if access is Access.UNAUTHENTICATED:
            raise ApiError(401, self._unauthenticated_message(ctx), "unauthenticated")
        job = self.faults.resolve(ctx) if ctx.route == "containers" else None
        job = job or self._resolve(ctx)
        job_index = self.fixture.job_index(job.id)
        if ctx.route == "runs":
            return JSONResponse(self._runs_page(ctx, request.query_params, job, job_index))
        if access is Access.RESTRICTED:
            message = f"The API token lacks the permission {PERMISSION!r} on this project"
            raise ApiError(403, message, "forbidden")
        limits = self.faults.limits(ctx, Limits())
        query = self.faults.query(ctx, self._parse(ctx, request.query_params, limits, job))
        selection = self.faults.select(ctx, job, query, self._select(job, query))
        if selection is None:
            message = f"Job run {_shown(query.run_id or '')} not found for job {job.id!r}"
            raise ApiError(404, message, "not-found")
        window = self.faults.window(ctx, self._window(job, job_index, query, selection))
        return JSONResponse(self.faults.payload(ctx, window, self._payload(ctx, window)))

    def _authenticate(self, ctx: Ctx) -> Access:
        scheme, _, token = (ctx.authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or token.strip() not in self.tokens:
            return Access.UNAUTHENTICATED
        return Access.GRANTED if token.strip() == MOCK_TOKEN else Access.RESTRICTED

    @staticmethod
    def _unauthenticated_message(ctx: Ctx) -> str:
        header = (ctx.authorization or "").strip()
        if not header:
            return "No API token: send the header 'Authorization: Bearer <token>'"
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return "Malformed Authorization header: expected 'Bearer <token>'"
        return "The API token is invalid or has been revoked"

    def _resolve(self, ctx: Ctx) -> Job:
        params = ctx.params
        if ctx.team_route and params["teamId"] != self.fixture.team_id:
            raise ApiError(404, f"Team {_shown(params['teamId'])} not found", "not-found")
        if params["projectId"] != self.fixture.project_id:
            raise ApiError(404, f"Project {_shown(params['projectId'])} not found", "not-found")
        job = self.fixture.job(params["jobId"])
        if job is None:
            message = f"Job {_shown(params['jobId'])} not found in project {params['projectId']!r}"
            raise ApiError(404, message, "not-found")
        return job

    def _parse(self, ctx: Ctx, raw: QueryParams, limits: Limits, job: Job) -> Query:
        values = _single_values(raw, ("per_page", "page", "cursor", "runId"), limits)
        per_page = _integer(
            values, "per_page", limits.default_per_page, 1, limits.max_per_page, limits
        )
        page = _integer(values, "page", 1, 1, None, limits)
        run_id = values.get("runId")
        if run_id is not None and not run_id.strip():
            if limits.strict:
                raise _bad("runId", "runId must be a job run id, not empty")
            run_id = None
        state = None
        if (text := values.get("cursor")) is not None:
            state = self._cursor(ctx, text, "containers", job, limits)
            if state is not None and run_id is not None:
                issued_for = job.runs[state.run_index].id
                if run_id != issued_for and limits.strict:
                    message = f"The cursor was issued for runId {issued_for!r}"
                    raise _bad("cursor", f"{message}, not {_shown(run_id)}")
        return Query(per_page=per_page, page=page, cursor=state, run_id=run_id)

    def _cursor(
        self, ctx: Ctx, text: str, kind: str, job: Job, limits: Limits
    ) -> cursor.CursorState | None:
        try:
            state = cursor.decode(self.faults.cursor_in(ctx, text))
        except cursor.InvalidCursor:
            state = None
        valid = (
            state is not None
            and state.kind == kind
            and state.job_index == self.fixture.job_index(job.id)
            and (kind == "runs" or state.run_index < len(job.runs))
            and state.per_page >= 1
        )
        if valid:
            return state
        if limits.strict:
            raise _bad("cursor", f"Malformed cursor {_shown(text)}: pass back a cursor as received")
        return None

    @staticmethod
    def _select(job: Job, query: Query) -> Selection | None:
        if query.cursor is not None:
            run = job.runs[query.cursor.run_index]
        elif query.run_id is not None:
            found = job.run(query.run_id)
            if found is None:
                return None
            run = found
        else:
            run = job.latest_run
        return Selection(run, run.id)

    def _window(self, job: Job, job_index: int, query: Query, selection: Selection) -> Window:
        if query.cursor is not None:
            per_page, offset = query.cursor.per_page, query.cursor.offset
        else:
            per_page, offset = query.per_page, (query.page - 1) * query.per_page
        run = selection.run
        has_next = offset + per_page < run.container_count
        return Window(
            job=job,
            job_index=job_index,
            run=run,
            run_index=job.runs.index(run),
            echo_run_id=selection.echo_run_id,
            per_page=per_page,
            offset=offset,
            limit=per_page,
            next_offset=offset + per_page if has_next else None,
            has_next=has_next,
        )

    def _payload(self, ctx: Ctx, window: Window) -> Body:
        items = window.items()
        pagination: Body = {"hasNextPage": window.has_next, "count": len(items)}
        if (next_offset := window.next_offset) is not None:
            w = window
            state = cursor.CursorState("containers", w.job_index, w.run_index, w.per_page, 0)
            state = replace(state, offset=next_offset)
            pagination["cursor"] = self.faults.cursor_out(ctx, cursor.encode(state))
        return {
            "data": {
                "containers": [item.as_json() for item in items],
                "runId": window.echo_run_id,
            },
            "pagination": pagination,
        }

    def _runs_page(self, ctx: Ctx, raw: QueryParams, job: Job, job_index: int) -> Body:
        limits = Limits()
        values = _single_values(raw, ("per_page", "page", "cursor"), limits)
        per_page = _integer(values, "per_page", limits.default_per_page, 1, 100, limits)
        offset = (_integer(values, "page", 1, 1, None, limits) - 1) * per_page
        if (text := values.get("cursor")) is not None:
            state = self._cursor(ctx, text, "runs", job, limits)
            if state is not None:
                per_page, offset = state.per_page, state.offset
        runs = job.runs[offset : offset + per_page] if offset < len(job.runs) else ()
        pagination: Body = {"hasNextPage": offset + per_page < len(job.runs), "count": len(runs)}
        if pagination["hasNextPage"]:
            next_offset = offset + per_page
            state = cursor.CursorState("runs", job_index, cursor.RUNS_LIST, per_page, next_offset)
            pagination["cursor"] = cursor.encode(state)
        return {"data": {"runs": [run.as_json() for run in runs]}, "pagination": pagination}

    def _error_response(self, ctx: Ctx, error: ApiError) -> Response:
        result = self.faults.error(ctx, error)
        if isinstance(result, Response):
            return result
        return JSONResponse(result.body(), status_code=result.status, headers=result.headers)


def _bad(parameter: str, message: str) -> ApiError:
    return ApiError(400, message, "bad-request", details={"parameter": parameter})


def _single_values(raw: QueryParams, names: Iterable[str], limits: Limits) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in names:
        given = raw.getlist(name)
        if len(given) > 1 and limits.strict:
            raise _bad(name, f"{name} was given {len(given)} times; give it once")
        if given:
            values[name] = given[-1]
    return values


def _integer(
    values: dict[str, str],
    name: str,
    default: int,
    low: int,
    high: int | None,
    limits: Limits,
) -> int:
    text = values.get(name)
    if text is None:
        return default
    number = None
    if _INTEGER.fullmatch(text):
        digits = text.lstrip("0") or "0"
        number = int(digits) if len(digits) <= 30 else _HUGE
    if number is not None and number >= low and (high is None or number <= high):
        return number
    if not limits.strict:
        return default if number is None else max(number, low)
    bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
    raise _bad(name, f"{name} must be an integer {bounds}, got {_shown(text)}")


def _without_body(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped


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
) -> Starlette:
    """The mock as a Starlette app. ``faults`` names entries of ``faults.FAULTS``.

    ``rate_limit=N`` enforces N requests per window (429 with Retry-After beyond it); without it
    the x-ratelimit-* headers still count requests but nothing is refused.
    """
    fault_set = select_faults(faults)
    ratelimit = _RateLimit(rate_limit, rate_window_s, clock)
    server = MockServer(fixture or Fixture.default(), fault_set, ratelimit)
    app = Starlette(middleware=[Middleware(_Dispatch, server=server)])
    app.state.mock = server
    return app
