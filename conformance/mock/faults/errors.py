"""Faults in error bodies: media type, shape and content (REQ-ERR-*)."""

from __future__ import annotations

from starlette.responses import HTMLResponse, Response

from conformance.mock.faults._common import json_error
from conformance.mock.faults.base import fault
from conformance.mock.model import ApiError, Body, Ctx


@fault("html-error-pages", hook="error")
def _html_errors(ctx: Ctx, error: ApiError) -> ApiError | Response:
    title = f"{error.status} {error.message}"
    page = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
    page += "<hr><center>nginx</center></body></html>\n"
    return HTMLResponse(page, status_code=error.status, headers=error.headers)


@fault("error-shape-flat", hook="error")
@json_error
def _flat_errors(ctx: Ctx, error: ApiError) -> Body | None:
    return {"statusCode": error.status, "message": error.message, "error": error.id}


@fault("error-status-mismatch", hook="error")
@json_error
def _status_mismatch(ctx: Ctx, error: ApiError) -> Body | None:
    body = error.body()
    body["error"]["status"] = 400
    return body


@fault("error-leaks-data", hook="error")
@json_error
def _leak_data(ctx: Ctx, error: ApiError) -> Body | None:
    if error.status not in (401, 403):
        return None
    job = ctx.fixture.job(ctx.params.get("jobId", "")) or ctx.fixture.jobs[0]
    run = job.latest_run
    containers = [container.as_json() for container in run.page(0, 3)]
    return {**error.body(), "data": {"containers": containers, "runId": run.id}}
