"""Named deviations of the mock: the suite's own mutation test.

Each :class:`Fault` is a realistic server bug that breaks one requirement of
spec/requirements.yaml. A fault is a handful of hooks on the request pipeline (see model.py);
app.py calls them through :class:`FaultSet` and knows no fault by name.
"""

from __future__ import annotations

import base64
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from starlette.responses import HTMLResponse, JSONResponse, Response

from conformance.mock import cursor
from conformance.mock.fixture import Job
from conformance.mock.model import (
    Access,
    ApiError,
    Body,
    Ctx,
    Limits,
    Query,
    Selection,
    Window,
)

RATELIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@dataclass(frozen=True)
class Fault:
    """A named bug: which requirement it breaks, what it does, and the hooks that do it."""

    name: str
    requirement: str
    description: str
    access: Callable[[Ctx, Access], Access] | None = None
    resolve: Callable[[Ctx], Job | None] | None = None  # a job to serve instead of a 404
    limits: Callable[[Ctx, Limits], Limits] | None = None
    query: Callable[[Ctx, Query], Query] | None = None
    cursor_in: Callable[[Ctx, str], str] | None = None
    cursor_out: Callable[[Ctx, str], str] | None = None
    select: Callable[[Ctx, Job, Query, Selection | None], Selection | None] | None = None
    window: Callable[[Ctx, Window], Window] | None = None
    payload: Callable[[Ctx, Window, Any], Any] | None = None  # may return any JSON value
    error: Callable[[Ctx, ApiError], ApiError | Response] | None = None
    response: Callable[[Ctx, Response], Response] | None = None


class UnknownFault(ValueError):
    """A fault name that is not in :data:`FAULTS`."""


@dataclass(frozen=True)
class FaultSet:
    """The selected faults, applied in the order given. Empty: the clean mock."""

    faults: tuple[Fault, ...] = ()

    @property
    def names(self) -> list[str]:
        return [fault.name for fault in self.faults]

    def access(self, ctx: Ctx, access: Access) -> Access:
        for fault in self.faults:
            if fault.access:
                access = fault.access(ctx, access)
        return access

    def resolve(self, ctx: Ctx) -> Job | None:
        for fault in self.faults:
            if fault.resolve and (job := fault.resolve(ctx)) is not None:
                return job
        return None

    def limits(self, ctx: Ctx, limits: Limits) -> Limits:
        for fault in self.faults:
            if fault.limits:
                limits = fault.limits(ctx, limits)
        return limits

    def query(self, ctx: Ctx, query: Query) -> Query:
        for fault in self.faults:
            if fault.query:
                query = fault.query(ctx, query)
        return query

    def cursor_in(self, ctx: Ctx, text: str) -> str:
        for fault in self.faults:
            if fault.cursor_in:
                text = fault.cursor_in(ctx, text)
        return text

    def cursor_out(self, ctx: Ctx, text: str) -> str:
        for fault in self.faults:
            if fault.cursor_out:
                text = fault.cursor_out(ctx, text)
        return text

    def select(
        self, ctx: Ctx, job: Job, query: Query, selection: Selection | None
    ) -> Selection | None:
        for fault in self.faults:
            if fault.select:
                selection = fault.select(ctx, job, query, selection)
        return selection

    def window(self, ctx: Ctx, window: Window) -> Window:
        for fault in self.faults:
            if fault.window:
                window = fault.window(ctx, window)
        return window

    def payload(self, ctx: Ctx, window: Window, body: Body) -> Any:
        for fault in self.faults:
            if fault.payload:
                body = fault.payload(ctx, window, body)
        return body

    def error(self, ctx: Ctx, error: ApiError) -> ApiError | Response:
        for fault in self.faults:
            if fault.error:
                result = fault.error(ctx, error)
                if isinstance(result, Response):
                    return result
                error = result
        return error

    def response(self, ctx: Ctx, response: Response) -> Response:
        for fault in self.faults:
            if fault.response:
                response = fault.response(ctx, response)
        return response


# --- helpers the hooks share ------------------------------------------------------------------


def _containers(body: Body) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = body["data"]["containers"]
    return containers


_PayloadHook = Callable[[Ctx, Window, Body], Body]


def _each_container(change: Callable[[dict[str, Any]], None]) -> _PayloadHook:
    def hook(ctx: Ctx, window: Window, body: Body) -> Body:
        for container in _containers(body):
            change(container)
        return body

    return hook


def _first_container(change: Callable[[dict[str, Any]], None]) -> _PayloadHook:
    def hook(ctx: Ctx, window: Window, body: Body) -> Body:
        if containers := _containers(body):
            change(containers[0])
        return body

    return hook


def _on_status(status: int, to: int) -> Callable[[Ctx, ApiError], ApiError]:
    def hook(ctx: Ctx, error: ApiError) -> ApiError:
        if error.status == status:
            error.status = to
        return error

    return hook


def _is_token(ctx: Ctx, value: str | None) -> bool:
    return value is not None and value in ctx.tokens


def _bearer_value(ctx: Ctx) -> str | None:
    header = (ctx.authorization or "").split()
    return header[-1] if header else None


def _cursor_for(window: Window, offset: int) -> str:
    state = cursor.CursorState(
        "containers", window.job_index, window.run_index, window.per_page, offset
    )
    return cursor.encode(state)


# --- the hooks ----------------------------------------------------------------------------------


def _created_at_string(container: dict[str, Any]) -> None:
    created = datetime.fromtimestamp(container["createdAt"], UTC)
    container["createdAt"] = created.isoformat().replace("+00:00", "Z")


def _updated_at_zero(container: dict[str, Any]) -> None:
    if container["status"] in ("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING"):
        container["updatedAt"] = 0


def _status_lowercase(container: dict[str, Any]) -> None:
    container["status"] = container["status"].removeprefix("TASK_").capitalize()


def _missing_run_id(ctx: Ctx, window: Window, body: Body) -> Body:
    del body["data"]["runId"]
    return body


def _run_id_of_latest(ctx: Ctx, window: Window, body: Body) -> Body:
    body["data"]["runId"] = window.job.latest_run.id
    return body


def _containers_as_object(ctx: Ctx, window: Window, body: Body) -> Body:
    body["data"]["containers"] = {item["name"]: item for item in _containers(body)}
    return body


def _data_flattened(ctx: Ctx, window: Window, body: Body) -> Body:
    data = body.pop("data")
    return {**data, **body}


def _body_is_array(ctx: Ctx, window: Window, body: Body) -> Any:
    return _containers(body)


def _no_pagination(ctx: Ctx, window: Window, body: Body) -> Body:
    body.pop("pagination")
    if window.next_offset is not None:
        body["cursor"] = _cursor_for(window, window.next_offset)
    return body


def _has_next_page_string(ctx: Ctx, window: Window, body: Body) -> Body:
    body["pagination"]["hasNextPage"] = str(body["pagination"]["hasNextPage"]).lower()
    return body


def _has_next_page_false(ctx: Ctx, window: Window, body: Body) -> Body:
    body["pagination"]["hasNextPage"] = False
    return body


def _cursor_as_number(ctx: Ctx, window: Window, body: Body) -> Body:
    if "cursor" in body["pagination"]:
        body["pagination"]["cursor"] = window.next_offset
    return body


def _count_is_total(ctx: Ctx, window: Window, body: Body) -> Body:
    body["pagination"]["count"] = window.total
    return body


def _count_missing(ctx: Ctx, window: Window, body: Body) -> Body:
    del body["pagination"]["count"]
    return body


def _cursor_on_last_page(ctx: Ctx, window: Window, body: Body) -> Body:
    if "cursor" not in body["pagination"]:
        body["pagination"]["cursor"] = _cursor_for(window, window.offset + window.limit)
    return body


def _null_cursor_on_last_page(ctx: Ctx, window: Window, body: Body) -> Body:
    body["pagination"].setdefault("cursor", None)
    return body


def _byoc_fields_wrong(container: dict[str, Any]) -> None:
    container["nodeName"] = 7
    container["ipAddresses"] = "10.4.0.17,10.4.0.18"


def _off_by_one(ctx: Ctx, window: Window) -> Window:
    return replace(window, limit=window.limit + 1)


def _overlap(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    return replace(window, next_offset=max(window.next_offset - 1, 1))


def _skip(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return window
    next_offset = window.next_offset + 1
    has_next = next_offset < window.total
    return replace(window, next_offset=next_offset if has_next else None, has_next=has_next)


def _loop(ctx: Ctx, window: Window) -> Window:
    if window.next_offset is None:
        return replace(window, next_offset=0, has_next=True)
    return window


def _unstable(ctx: Ctx, window: Window) -> Window:
    shift = ctx.sequence

    def order(position: int, total: int) -> int:
        return (position + shift) % total

    return replace(window, order=order)


def _team_route_reversed(ctx: Ctx, window: Window) -> Window:
    if not ctx.team_route:
        return window
    return replace(window, order=lambda position, total: total - 1 - position)


def _no_max(ctx: Ctx, limits: Limits) -> Limits:
    return replace(limits, max_per_page=1000)


def _lenient(ctx: Ctx, limits: Limits) -> Limits:
    return replace(limits, strict=False)


def _default_20(ctx: Ctx, limits: Limits) -> Limits:
    return replace(limits, default_per_page=20)


def _per_page_ignored(ctx: Ctx, query: Query) -> Query:
    return replace(query, per_page=Limits().default_per_page)


def _page_ignored(ctx: Ctx, query: Query) -> Query:
    return replace(query, page=1)


def _cursor_ignored(ctx: Ctx, query: Query) -> Query:
    return replace(query, cursor=None)


def _oldest_by_default(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.run_id is None and query.cursor is None:
        oldest = job.runs[-1]
        return Selection(oldest, oldest.id)
    return selection


def _unknown_run_falls_back(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


def _run_id_ignored(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return None
    return Selection(job.latest_run, selection.echo_run_id)


def _run_dropped_with_cursor(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.cursor is not None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


def _auth_not_enforced(ctx: Ctx, access: Access) -> Access:
    return Access.GRANTED if access is Access.UNAUTHENTICATED else access


def _restricted_allowed(ctx: Ctx, access: Access) -> Access:
    return Access.GRANTED if access is Access.RESTRICTED else access


def _any_scheme(ctx: Ctx, access: Access) -> Access:
    if access is not Access.UNAUTHENTICATED:
        return access
    value = _bearer_value(ctx)
    if _is_token(ctx, value):
        return Access.GRANTED if value == ctx.tokens[0] else Access.RESTRICTED
    return access


def _any_project(ctx: Ctx) -> Job | None:
    if ctx.route != "containers":
        return None
    return ctx.fixture.job(ctx.params.get("jobId", ""))


def _job_prefix(ctx: Ctx) -> Job | None:
    fixture, params = ctx.fixture, ctx.params
    if ctx.route != "containers" or params.get("projectId") != fixture.project_id:
        return None
    if ctx.team_route and params.get("teamId") != fixture.team_id:
        return None
    job_id = params.get("jobId", "")
    return next((job for job in fixture.jobs if job_id and job.id.startswith(job_id)), None)


def _no_team_route(ctx: Ctx, access: Access) -> Access:
    if ctx.team_route:
        raise ApiError(404, f"Cannot GET {ctx.path}", "not-found")
    return access


def _beyond_end_404(ctx: Ctx, window: Window) -> Window:
    if window.offset >= window.total > 0:
        raise ApiError(404, "Page not found", "not-found")
    return window


def _server_error(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status == 400:
        body = {"error": {"status": 500, "message": "Internal Server Error", "id": "internal"}}
        return JSONResponse(body, status_code=500)
    return error


def _html_errors(ctx: Ctx, error: ApiError) -> ApiError | Response:
    title = f"{error.status} {error.message}"
    page = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
    page += "<hr><center>nginx</center></body></html>\n"
    return HTMLResponse(page, status_code=error.status, headers=error.headers)


def _flat_errors(ctx: Ctx, error: ApiError) -> ApiError | Response:
    body = {"statusCode": error.status, "message": error.message, "error": error.id}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def _status_mismatch(ctx: Ctx, error: ApiError) -> ApiError | Response:
    body = error.body()
    body["error"]["status"] = 400
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def _leak_data(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status not in (401, 403):
        return error
    job = ctx.fixture.job(ctx.params.get("jobId", "")) or ctx.fixture.jobs[0]
    run = job.latest_run
    body = error.body()
    body["data"] = {"containers": [c.as_json() for c in run.page(0, 3)], "runId": run.id}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def _rate_limit_as_403(ctx: Ctx, error: ApiError) -> ApiError | Response:
    if error.status == 429:
        error.status = 403
        error.message = "Quota exceeded"
        error.headers.pop("Retry-After", None)
    return error


def _text_plain(ctx: Ctx, response: Response) -> Response:
    if response.status_code == 200:
        response.headers["content-type"] = "text/plain; charset=utf-8"
    return response


def _partial_content(ctx: Ctx, response: Response) -> Response:
    if response.status_code == 200 and ctx.route == "containers":
        response.status_code = 206
    return response


def _no_ratelimit_headers(ctx: Ctx, response: Response) -> Response:
    for name in RATELIMIT_HEADERS:
        if name in response.headers:
            del response.headers[name]
    return response


def _b64_cursor_out(ctx: Ctx, text: str) -> str:
    return base64.b64encode(bytes.fromhex(text) + b"\xff").decode()


def _b64_cursor_in(ctx: Ctx, text: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return text
    return raw[:-1].hex() if raw.endswith(b"\xff") else text


_ALL = [
    # --- body shape
    Fault(
        "created-at-string",
        "REQ-SCH-CREATED-AT",
        "containers[].createdAt is an ISO 8601 string, not epoch seconds",
        payload=_each_container(_created_at_string),
    ),
    Fault(
        "updated-at-zero",
        "REQ-SCH-UPDATED-AT",
        "containers[].updatedAt is 0 for tasks that are still live",
        payload=_each_container(_updated_at_zero),
    ),
    Fault(
        "missing-name",
        "REQ-SCH-NAME",
        "the first container of each page has no name",
        payload=_first_container(lambda container: container.pop("name")),
    ),
    Fault(
        "status-outside-enum",
        "REQ-SCH-STATUS",
        "containers[].status is 'Running', 'Finished', ... instead of TASK_*",
        payload=_each_container(_status_lowercase),
    ),
    Fault(
        "missing-run-id",
        "REQ-SCH-RUN-ID",
        "data.runId is left out",
        payload=_missing_run_id,
    ),
    Fault(
        "containers-as-object",
        "REQ-SCH-CONTAINERS",
        "data.containers is an object keyed by name, not an array",
        payload=_containers_as_object,
    ),
    Fault(
        "data-flattened",
        "REQ-SCH-DATA",
        "containers and runId sit at the top level; there is no data object",
        payload=_data_flattened,
    ),
    Fault(
        "body-is-array",
        "REQ-SCH-BODY",
        "the body is a bare JSON array of containers",
        payload=_body_is_array,
    ),
    Fault(
        "missing-pagination",
        "REQ-SCH-PAGINATION",
        "there is no pagination object (the cursor sits at the top level)",
        payload=_no_pagination,
    ),
    Fault(
        "has-next-page-string",
        "REQ-SCH-HAS-NEXT-PAGE",
        "pagination.hasNextPage is the string 'true' or 'false'",
        payload=_has_next_page_string,
    ),
    Fault(
        "cursor-not-string",
        "REQ-SCH-CURSOR",
        "pagination.cursor is a number (the next offset)",
        payload=_cursor_as_number,
    ),
    Fault(
        "count-missing",
        "REQ-SCH-COUNT",
        "pagination.count is left out",
        payload=_count_missing,
    ),
    Fault(
        "byoc-fields-wrong-type",
        "REQ-SCH-BYOC-FIELDS",
        "nodeName is a number and ipAddresses a comma-separated string",
        payload=_each_container(_byoc_fields_wrong),
    ),
    # --- pagination
    Fault(
        "count-is-total",
        "REQ-PAG-COUNT",
        "pagination.count is the run's total, not this page's count",
        payload=_count_is_total,
    ),
    Fault(
        "page-size-off-by-one",
        "REQ-PAG-PER-PAGE",
        "each page lists per_page + 1 containers (an inclusive slice end)",
        window=_off_by_one,
    ),
    Fault(
        "per-page-ignored",
        "REQ-PAG-PER-PAGE",
        "per_page is validated, then ignored: pages hold 50",
        query=_per_page_ignored,
    ),
    Fault(
        "no-max-per-page",
        "REQ-PAG-MAX-100",
        "per_page up to 1000 is honoured: pages hold more than 100 containers",
        limits=_no_max,
    ),
    Fault(
        "default-page-size-20",
        "REQ-PAG-DEFAULT-SIZE",
        "without per_page, pages hold 20 containers instead of 50",
        limits=_default_20,
    ),
    Fault(
        "page-ignored",
        "REQ-PAG-PAGE",
        "the page parameter is ignored: every page is the first",
        query=_page_ignored,
    ),
    Fault(
        "cursor-ignored",
        "REQ-PAG-CURSOR",
        "the cursor parameter is ignored: every cursor leads back to the first page",
        query=_cursor_ignored,
    ),
    Fault(
        "overlapping-pages",
        "REQ-PAG-WALK",
        "the next cursor starts one container early: pages overlap by one",
        window=_overlap,
    ),
    Fault(
        "skipped-items",
        "REQ-PAG-WALK",
        "the next cursor starts one container late: a walk misses one per page",
        window=_skip,
    ),
    Fault(
        "looping-cursor",
        "REQ-PAG-TERMINATES",
        "the last page says hasNextPage true with a cursor back to the first page",
        window=_loop,
    ),
    Fault(
        "unstable-order",
        "REQ-PAG-STABLE-ORDER",
        "the order rotates with every request",
        window=_unstable,
    ),
    Fault(
        "has-next-page-false",
        "REQ-PAG-HAS-NEXT-PAGE",
        "hasNextPage is false on every page, even when a cursor follows",
        payload=_has_next_page_false,
    ),
    Fault(
        "cursor-on-last-page",
        "REQ-PAG-LAST-PAGE",
        "the last page carries a cursor (to an empty page)",
        payload=_cursor_on_last_page,
    ),
    Fault(
        "null-cursor-on-last-page",
        "REQ-PAG-LAST-PAGE",
        "the last page carries cursor: null",
        payload=_null_cursor_on_last_page,
    ),
    Fault(
        "beyond-end-404",
        "REQ-PAG-BEYOND-END",
        "a page past the end is 404, not an empty page",
        window=_beyond_end_404,
    ),
    Fault(
        "invalid-params-accepted",
        "REQ-PAG-INVALID-PARAMS",
        "invalid per_page, page or cursor silently fall back to defaults (200)",
        limits=_lenient,
    ),
    Fault(
        "cursor-needs-escaping",
        "REQ-PAG-CURSOR-URL-SAFE",
        "cursors are standard base64 with '/', '+' and '=' that clients must URL-encode",
        cursor_in=_b64_cursor_in,
        cursor_out=_b64_cursor_out,
    ),
    # --- runId
    Fault(
        "run-id-ignored",
        "REQ-RUN-FILTER",
        "runId is echoed in data.runId but the latest run's containers are listed",
        select=_run_id_ignored,
    ),
    Fault(
        "run-id-echo-latest",
        "REQ-RUN-ECHO",
        "data.runId always names the latest run, whichever run is listed",
        payload=_run_id_of_latest,
    ),
    Fault(
        "run-id-dropped-on-later-pages",
        "REQ-RUN-FILTER-EVERY-PAGE",
        "a cursor forgets the run: later pages list the latest run",
        select=_run_dropped_with_cursor,
    ),
    Fault(
        "default-run-not-latest",
        "REQ-RUN-LATEST-DEFAULT",
        "without runId, the oldest run is listed",
        select=_oldest_by_default,
    ),
    Fault(
        "unknown-run-falls-back",
        "REQ-RUN-UNKNOWN",
        "an unknown runId lists the latest run's containers (200)",
        select=_unknown_run_falls_back,
    ),
    # --- permissions
    Fault(
        "auth-not-enforced",
        "REQ-PRM-401",
        "a missing, malformed or unknown token is let through (200)",
        access=_auth_not_enforced,
    ),
    Fault(
        "restricted-token-allowed",
        "REQ-PRM-PERMISSION",
        "a token without the permission lists containers (200)",
        access=_restricted_allowed,
    ),
    Fault(
        "restricted-token-401",
        "REQ-PRM-403",
        "a valid token without the permission gets 401, not 403",
        error=_on_status(403, 401),
    ),
    Fault(
        "bearer-scheme-unchecked",
        "REQ-PRM-BEARER",
        "any Authorization scheme (or none) is accepted around a valid token",
        access=_any_scheme,
    ),
    Fault(
        "team-route-reversed",
        "REQ-PRM-TEAM-ROUTE-SAME",
        "the team route lists containers in reverse order",
        window=_team_route_reversed,
    ),
    # --- routes and HTTP
    Fault(
        "team-route-missing",
        "REQ-HTTP-TEAM-ROUTE",
        "the /v1/teams/{teamId}/... route answers 404",
        access=_no_team_route,
    ),
    Fault(
        "unknown-project-200",
        "REQ-HTTP-PATH-PROJECT",
        "the projectId (and teamId) are not checked: any project lists the job",
        resolve=_any_project,
    ),
    Fault(
        "job-id-prefix-match",
        "REQ-HTTP-PATH-JOB",
        "a jobId matches any job it is a prefix of",
        resolve=_job_prefix,
    ),
    Fault(
        "not-found-as-400",
        "REQ-HTTP-404",
        "unknown team, project, job or run answer 400, not 404",
        error=_on_status(404, 400),
    ),
    Fault(
        "method-not-allowed-404",
        "REQ-HTTP-405",
        "other methods answer 404, not 405",
        error=_on_status(405, 404),
    ),
    Fault(
        "partial-content-206",
        "REQ-HTTP-200",
        "container lists answer 206 Partial Content",
        response=_partial_content,
    ),
    Fault(
        "wrong-content-type",
        "REQ-HTTP-JSON",
        "successful answers are labelled text/plain",
        response=_text_plain,
    ),
    Fault(
        "server-error-on-bad-input",
        "REQ-HTTP-CLIENT-ERROR",
        "invalid query parameters answer 500",
        error=_server_error,
    ),
    Fault(
        "no-ratelimit-headers",
        "REQ-HTTP-RATELIMIT-HEADERS",
        "no x-ratelimit-* headers",
        response=_no_ratelimit_headers,
    ),
    Fault(
        "rate-limit-as-403",
        "REQ-HTTP-429",
        "an enforced rate limit (--rate-limit) answers 403 without Retry-After",
        error=_rate_limit_as_403,
    ),
    # --- errors
    Fault(
        "html-error-pages",
        "REQ-ERR-JSON",
        "errors are nginx-style HTML pages",
        error=_html_errors,
    ),
    Fault(
        "error-shape-flat",
        "REQ-ERR-SHAPE",
        'errors are {"statusCode", "message", "error"}, not {"error": {...}}',
        error=_flat_errors,
    ),
    Fault(
        "error-status-mismatch",
        "REQ-ERR-STATUS-MATCH",
        "error.status is always 400, whatever the HTTP status",
        error=_status_mismatch,
    ),
    Fault(
        "error-leaks-data",
        "REQ-ERR-NO-DATA",
        "401 and 403 bodies carry the latest run's containers beside the error",
        error=_leak_data,
    ),
]

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _ALL}
if len(FAULTS) != len(_ALL):  # pragma: no cover - a guard for whoever adds a fault
    raise RuntimeError("duplicate fault name in conformance/mock/faults.py")


def describe_faults() -> list[str]:
    """One line a fault: name, requirement, description (``mock --list-faults``)."""
    width = max(map(len, FAULTS))
    req_width = max(len(fault.requirement) for fault in FAULTS.values())
    return [
        f"{fault.name:<{width}}  {fault.requirement:<{req_width}}  {fault.description}"
        for fault in FAULTS.values()
    ]


def select_faults(names: Iterable[str]) -> FaultSet:
    """The named faults, in order; :class:`UnknownFault` names close matches."""
    selected = []
    for name in names:
        fault = FAULTS.get(name)
        if fault is None:
            close = difflib.get_close_matches(name, FAULTS, n=3)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UnknownFault(
                f"Unknown fault {name!r}.{hint} 'nf-conformance mock --list-faults' lists them."
            )
        if fault not in selected:
            selected.append(fault)
    return FaultSet(tuple(selected))
