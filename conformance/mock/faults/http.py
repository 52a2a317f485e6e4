"""Faults in routes, statuses and headers (REQ-HTTP-*)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from conformance.mock.faults._common import on_status
from conformance.mock.faults.base import fault
from conformance.mock.fixture import Job
from conformance.mock.model import Access, ApiError, Ctx, Query

RATELIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@fault("team-route-missing", hook="access")
def _no_team_route(ctx: Ctx, access: Access) -> Access:
    if ctx.team_route:
        raise ApiError(404, f"Cannot GET {ctx.path}", "not-found")
    return access


@fault("unknown-project-200", hook="resolve")
def _any_project(ctx: Ctx) -> Job | None:
    if ctx.route != "containers":
        return None
    return ctx.fixture.job(ctx.params.get("jobId", ""))


@fault("job-id-prefix-match", hook="resolve")
def _job_prefix(ctx: Ctx) -> Job | None:
    fixture, params = ctx.fixture, ctx.params
    if ctx.route != "containers" or params.get("projectId") != fixture.project_id:
        return None
    if ctx.team_route and params.get("teamId") != fixture.team_id:
        return None
    job_id = params.get("jobId", "")
    return next((job for job in fixture.jobs if job_id and job.id.startswith(job_id)), None)


@fault("partial-content-206", hook="response")
def _partial_content(ctx: Ctx, response: Response) -> Response:
    if response.status_code == 200 and ctx.route == "containers":
        response.status_code = 206
    return response


@fault("wrong-content-type", hook="response")
def _text_plain(ctx: Ctx, response: Response) -> Response:
    if response.status_code == 200:
        response.headers["content-type"] = "text/plain; charset=utf-8"
    return response


@fault("server-error-on-bad-input", hook="error")
def _server_error(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status == 400:
        body = {"error": {"status": 500, "message": "Internal Server Error", "id": "internal"}}
        return JSONResponse(body, status_code=500)
    return error


@fault("server-error-on-mid-per-page", hook="query")
def _mid_per_page_500(ctx: Ctx, query: Query) -> Query:
    if query.cursor is None and 8 <= query.per_page <= 49:  # valid values between the sizes
        raise ApiError(500, "Internal Server Error", "internal")
    return query


@fault("no-ratelimit-headers", hook="response")
def _no_ratelimit_headers(ctx: Ctx, response: Response) -> Response:
    for name in RATELIMIT_HEADERS:
        if name in response.headers:
            del response.headers[name]
    return response


@fault("rate-limit-as-403", hook="error")
def _rate_limit_as_403(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status == 429:
        error.status = 403
        error.message = "Quota exceeded"
        error.headers.pop("Retry-After", None)
    return error


fault("not-found-as-400", hook="error")(on_status(404, 400))
fault("method-not-allowed-404", hook="error")(on_status(405, 404))
