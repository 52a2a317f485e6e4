"""The mock's request pipeline: :class:`MockServer`, one ASGI callable per app.

Order of decisions for every request: rate limit (429) -> route (404) -> method (405) ->
credentials (401) -> team, project, job (404) -> permission (403) -> query (400) -> run (404)
-> 200. Every error is ``{"error": {"status", "message", "id"}}`` as application/json, and no
request, however malformed, gets a 5xx from the clean mock. Fault hooks (faults/) rewrite each
step's value; the steps themselves live in auth, query, pages, ratelimit and errors.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send

from conformance.mock import auth, pages
from conformance.mock.cells import request_cell
from conformance.mock.errors import error_response, shown, unprocessable
from conformance.mock.faults import FaultSet
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture, Job
from conformance.mock.model import Access, ApiError, Ctx, Limits, RequestCell, RouteKind
from conformance.mock.query import parse_query, parse_runs_query
from conformance.mock.ratelimit import RateLimit

ALLOWED_METHODS = "GET, HEAD"
_JOB_PATH = "/projects/([^/]+)/jobs/([^/]+)/(containers|runs)"
_ROUTES: list[tuple[re.Pattern[str], bool]] = [  # (pattern, is the team route)
    (re.compile(f"/v1{_JOB_PATH}"), False),
    (re.compile(f"/v1/teams/([^/]+){_JOB_PATH}"), True),
]


class MockServer:
    """The request pipeline. One instance per app; holds the request counter and rate limit."""

    def __init__(self, fixture: Fixture, faults: FaultSet, ratelimit: RateLimit) -> None:
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
        if ctx.route == "containers":
            ctx = replace(ctx, cell=self._cell(ctx, request))
        headers, limited = self.ratelimit.hit()
        try:
            if limited is not None:
                raise limited
            response = self._handle(ctx, request)
        except ApiError as error:
            response = error_response(self.faults, ctx, error)
        except Exception:  # never a 5xx: whatever went wrong, the request is what we refuse
            response = error_response(self.faults, ctx, unprocessable())
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

    def cell_of(self, scope: Scope) -> RequestCell | None:
        """The matrix cell of the request ``scope`` as the clean mock would answer it (None: not
        a containers request). Reads nothing but the fixture: the request is not counted."""
        request = Request(scope)
        ctx = self._context(request)
        return self._cell(ctx, request) if ctx.route == "containers" else None

    def _cell(self, ctx: Ctx, request: Request) -> RequestCell:
        """The request's matrix cell, as the clean mock would answer it (cells.py)."""

        def job() -> tuple[Job, int]:
            job = self._resolve(ctx)
            return job, self.fixture.job_index(job.id)

        return request_cell(
            ctx.team_route, request.query_params, job, partial(self.faults.cursor_in, ctx)
        )

    def _handle(self, ctx: Ctx, request: Request) -> Response:
        if ctx.route == "none":
            raise ApiError(404, f"Cannot {ctx.method} {shown(ctx.path)}", "not-found")
        if ctx.method not in ("GET", "HEAD"):
            raise ApiError(
                405,
                f"Method {ctx.method} is not allowed here; use GET",
                "method-not-allowed",
                headers={"Allow": ALLOWED_METHODS},
            )
        access = self.faults.access(ctx, auth.authenticate(ctx))
        if access is Access.UNAUTHENTICATED:
            raise auth.unauthenticated(ctx)
        job = self.faults.resolve(ctx) if ctx.route == "containers" else None
        job = job or self._resolve(ctx)
        job_index = self.fixture.job_index(job.id)
        unwrap = partial(self.faults.cursor_in, ctx)
        if ctx.route == "runs":
            per_page, offset = parse_runs_query(request.query_params, job, job_index, unwrap)
            return JSONResponse(pages.runs_body(job, job_index, per_page, offset))
        if access is Access.RESTRICTED:
            raise auth.forbidden()
        limits = self.faults.limits(ctx, Limits())
        parsed = parse_query(request.query_params, limits, job, job_index, unwrap)
        query = self.faults.query(ctx, parsed)
        selection = self.faults.select(ctx, job, query, pages.select(job, query))
        if selection is None:
            message = f"Job run {shown(query.run_id or '')} not found for job {job.id!r}"
            raise ApiError(404, message, "not-found")
        window = self.faults.window(ctx, pages.window(job, job_index, query, selection))
        body = pages.containers_body(window, partial(self.faults.cursor_out, ctx))
        return JSONResponse(self.faults.payload(ctx, window, body))

    def _resolve(self, ctx: Ctx) -> Job:
        params = ctx.params
        if ctx.team_route and params["teamId"] != self.fixture.team_id:
            raise ApiError(404, f"Team {shown(params['teamId'])} not found", "not-found")
        if params["projectId"] != self.fixture.project_id:
            raise ApiError(404, f"Project {shown(params['projectId'])} not found", "not-found")
        job = self.fixture.job(params["jobId"])
        if job is None:
            message = f"Job {shown(params['jobId'])} not found in project {params['projectId']!r}"
            raise ApiError(404, message, "not-found")
        return job


def _without_body(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped
