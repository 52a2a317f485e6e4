"""Faults in error bodies: media type, shape and content (REQ-ERR-*)."""

from __future__ import annotations

from starlette.responses import HTMLResponse, JSONResponse, Response

from conformance.mock.faults.base import fault
from conformance.mock.model import ApiError, Ctx


@fault(
    "html-error-pages",
    "REQ-ERR-JSON",
    "errors are nginx-style HTML pages",
    hook="error",
)
def _html_errors(ctx: Ctx, error: ApiError) -> ApiError | Response:
    title = f"{error.status} {error.message}"
    page = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
    page += "<hr><center>nginx</center></body></html>\n"
    return HTMLResponse(page, status_code=error.status, headers=error.headers)


@fault(
    "error-shape-flat",
    "REQ-ERR-SHAPE",
    'errors are {"statusCode", "message", "error"}, not {"error": {...}}',
    hook="error",
)
def _flat_errors(ctx: Ctx, error: ApiError) -> ApiError | Response:
    body = {"statusCode": error.status, "message": error.message, "error": error.id}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


@fault(
    "error-status-mismatch",
    "REQ-ERR-STATUS-MATCH",
    "error.status is always 400, whatever the HTTP status",
    hook="error",
)
def _status_mismatch(ctx: Ctx, error: ApiError) -> ApiError | Response:
    body = error.body()
    body["error"]["status"] = 400
    return JSONResponse(body, status_code=error.status, headers=error.headers)


@fault(
    "error-leaks-data",
    "REQ-ERR-NO-DATA",
    "401 and 403 bodies carry the latest run's containers beside the error",
    hook="error",
)
def _leak_data(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status not in (401, 403):
        return error
    job = ctx.fixture.job(ctx.params.get("jobId", "")) or ctx.fixture.jobs[0]
    run = job.latest_run
    body = error.body()
    body["data"] = {"containers": [c.as_json() for c in run.page(0, 3)], "runId": run.id}
    return JSONResponse(body, status_code=error.status, headers=error.headers)
