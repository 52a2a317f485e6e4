"""An independently written List job containers server, with the choices the documentation
leaves open as switches: a second implementation the suite was not built against.

It shares no code with conformance/mock: its own data, cursors, parsing and errors. Each
:class:`Choices` is a legitimate reading of the documentation page (or, with a ``bug`` set, a
realistic mistake on one code path), so the suite must pass every conformant configuration and
catch every bug.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PROJECT, TEAM, JOB = "acme-prod", "acme", "nightly-export"
TOKEN, RESTRICTED = "indep-token-7c1e", "indep-restricted-92ab"
STATUSES = ("TASK_FINISHED", "TASK_FAILED", "TASK_RUNNING", "TASK_KILLED")


def _run_id(number: int) -> str:
    return f"{number:08x}-1c2d-4e5f-8a9b-{number * 7919:012x}"


@dataclass(frozen=True)
class Run:
    id: str
    size: int
    status: str
    started: int

    def containers(self) -> list[dict[str, Any]]:
        return [
            {
                "name": f"{JOB}-{self.id[:8]}-{index:04d}",
                "createdAt": self.started + index,
                "status": STATUSES[index % len(STATUSES)]
                if self.status != "RUNNING"
                else "TASK_RUNNING",
                "updatedAt": self.started + index + 30,
            }
            for index in range(self.size)
        ]


RUNS = (  # newest first
    Run(_run_id(5), 2, "RUNNING", 1_700_400_000),
    Run(_run_id(4), 0, "FAILED", 1_700_300_000),
    Run(_run_id(3), 137, "SUCCESS", 1_700_200_000),
    Run(_run_id(2), 1, "SUCCESS", 1_700_100_000),
    Run(_run_id(1), 23, "SUCCESS", 1_700_000_000),
)

Leniency = Literal["reject", "clamp"]


@dataclass(frozen=True)
class Choices:
    """What this server does where the documentation leaves a choice open."""

    default_per_page: int = 50
    bad_per_page: Leniency = "reject"  # per_page < 1, > 100 or not a number
    bad_page: Leniency = "reject"  # page < 1 or not a number
    unknown_run: Literal["404", "empty"] = "404"
    order: Literal["newest", "oldest"] = "newest"
    cursor_style: Literal["offset", "keyset"] = "offset"
    unauthenticated: int = 401  # status for no or a bad token
    unknown_project: int = 404
    ratelimit_headers: bool = True
    byoc_fields: bool = False
    error_extras: bool = False  # error.id and error.details beside message
    runs_endpoint: bool = True  # GET .../runs exists (the containers route alone is enough)
    omit_empty_containers: bool = False  # data.containers left out of an empty page
    bug: str = ""  # a realistic mistake on one code path (see _with_bug)


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _error(choices: Choices, status: int, message: str) -> JSONResponse:
    error: dict[str, Any] = {"status": status, "message": message}
    if choices.error_extras:
        error.update(id="E" + str(status), details={"hint": message})
    return JSONResponse({"error": error}, status_code=status)


def _integer(
    raw: str | None, name: str, low: int, high: int | None, choices: Choices, fallback: int
) -> int:
    leniency = choices.bad_per_page if name == "per_page" else choices.bad_page
    if raw is None:
        return fallback
    try:
        value = int(raw)
    except ValueError:
        if leniency == "reject":
            raise _Refusal(400, f"{name} must be an integer") from None
        return fallback
    if value < low or (high is not None and value > high):
        if leniency == "reject":
            raise _Refusal(400, f"{name} must be between {low} and {high or 'any'}")
        return high if high is not None and value > high else fallback
    return value


def _encode(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _Refusal(400, "cursor is not valid") from None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or data["o"] < 0:
        raise _Refusal(400, "cursor is not valid")
    return data


class Server:
    def __init__(self, choices: Choices) -> None:
        self.choices = choices
        self.app = Starlette(
            routes=[
                Route("/v1/projects/{project}/jobs/{job}/containers", self.listing),
                Route("/v1/teams/{team}/projects/{project}/jobs/{job}/containers", self.listing),
                Route("/v1/projects/{project}/jobs/{job}/runs", self.runs),
            ]
        )
        self.app.add_exception_handler(404, self._not_found)
        self.app.add_exception_handler(405, self._not_allowed)

    async def _not_found(self, request: Request, exc: Exception) -> Response:
        return _error(self.choices, 404, "not found")

    async def _not_allowed(self, request: Request, exc: Exception) -> Response:
        return _error(self.choices, 405, "method not allowed")

    def _auth(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        if header == f"Bearer {RESTRICTED}":
            raise _Refusal(403, "the token lacks View Instance Logs")
        if header != f"Bearer {TOKEN}":
            raise _Refusal(self.choices.unauthenticated, "unauthenticated")

    def _headers(self) -> dict[str, str]:
        if not self.choices.ratelimit_headers:
            return {}
        return {
            "x-ratelimit-limit": "1000",
            "x-ratelimit-remaining": "900",
            "x-ratelimit-reset": "3000",
        }

    def _where(self, request: Request) -> None:
        params = request.path_params
        if "team" in params and params["team"] != TEAM:
            raise _Refusal(404, "team not found")
        if params["project"] != PROJECT:
            raise _Refusal(self.choices.unknown_project, "project not found")
        if params["job"] != JOB:
            raise _Refusal(404, "job not found")

    async def runs(self, request: Request) -> Response:
        if not self.choices.runs_endpoint:
            return _error(self.choices, 404, "not found")
        try:
            self._auth(request)
            self._where(request)
        except _Refusal as refusal:
            return _error(self.choices, refusal.status, refusal.message)
        records = [
            {"id": run.id, "status": run.status, "concluded": run.status != "RUNNING"}
            for run in RUNS
        ]
        body = {
            "data": {"runs": records},
            "pagination": {"hasNextPage": False, "count": len(records)},
        }
        return JSONResponse(body, headers=self._headers())

    async def listing(self, request: Request) -> Response:
        try:
            self._auth(request)
            self._where(request)
            body = self._page(request)
        except _Refusal as refusal:
            return _error(self.choices, refusal.status, refusal.message)
        return JSONResponse(body, headers=self._headers())

    def _page(self, request: Request) -> dict[str, Any]:
        choices, query = self.choices, request.query_params
        per_page = _integer(
            query.get("per_page"), "per_page", 1, 100, choices, choices.default_per_page
        )
        run = self._run(query.get("runId"))
        if run is None:
            data: dict[str, Any] = {"runId": query.get("runId")}
            if not choices.omit_empty_containers:
                data["containers"] = []
            return {"data": data, "pagination": {"hasNextPage": False, "count": 0}}
        items = run.containers()
        if choices.order == "newest":
            items.reverse()
        cursor = query.get("cursor")
        if cursor is not None:
            state = _decode(cursor)
            if state.get("r") != run.id:
                raise _Refusal(400, "cursor belongs to another listing")
            offset = self._offset(state, items)
        else:
            page = _integer(query.get("page"), "page", 1, None, choices, 1)
            offset = (page - 1) * per_page
        path = _Path(
            team="team" in request.path_params,
            filtered="runId" in query,
            by_cursor=cursor is not None,
            by_page="page" in query,
            per_page=query.get("per_page"),
        )
        chunk = items[offset : offset + per_page]
        more = offset + per_page < len(items)
        pagination: dict[str, Any] = {"hasNextPage": more, "count": len(chunk)}
        if more:
            pagination["cursor"] = self._cursor(run, offset + per_page, chunk)
        if choices.byoc_fields:
            for item in chunk:
                item.update(nodeName="node-a", host="10.0.0.7", ipAddresses=["10.0.0.7"])
        body = {"data": {"containers": chunk, "runId": run.id}, "pagination": pagination}
        if choices.omit_empty_containers and not chunk:
            del body["data"]["containers"]
        if choices.bug:
            _with_bug(choices.bug, body, path, items, offset, per_page)
        return body

    def _run(self, wanted: str | None) -> Run | None:
        if wanted is None:
            return RUNS[0]
        for run in RUNS:
            if run.id == wanted:
                return run
            bug = self.choices.bug
            if bug == "runid-ignores-trailing-characters" and wanted.startswith(run.id):
                return run
            if bug == "runid-matches-a-prefix" and len(wanted) >= 8 and run.id.startswith(wanted):
                return run
        if self.choices.unknown_run == "404":
            raise _Refusal(404, "run not found")
        return None

    def _cursor(self, run: Run, offset: int, chunk: list[dict[str, Any]]) -> str:
        if self.choices.cursor_style == "keyset":
            return _encode({"r": run.id, "o": offset, "after": chunk[-1]["name"]})
        return _encode({"r": run.id, "o": offset})

    def _offset(self, state: dict[str, Any], items: list[dict[str, Any]]) -> int:
        if self.choices.cursor_style == "keyset":
            names = [item["name"] for item in items]
            after = state.get("after")
            if after not in names:
                raise _Refusal(400, "cursor is not valid")
            return names.index(after) + 1
        offset: int = state["o"]
        return offset


@dataclass(frozen=True)
class _Path:
    """The code path a listing request takes, as a buggy server might branch on it."""

    team: bool
    filtered: bool
    by_cursor: bool
    by_page: bool
    per_page: str | None


def _with_bug(
    bug: str,
    body: dict[str, Any],
    path: _Path,
    items: list[dict[str, Any]],
    offset: int,
    per_page: int,
) -> None:
    """Realistic mistakes, each on one code path only."""
    data, pagination = body["data"], body["pagination"]
    chunk: list[dict[str, Any]] = data["containers"]
    last = not pagination["hasNextPage"]
    if bug == "team-count-total" and path.team:
        pagination["count"] = len(items)
    elif bug == "filtered-last-page-cursor" and path.filtered and last and chunk:
        pagination["cursor"] = _encode({"r": data["runId"], "o": offset + per_page})
    elif bug == "cursor-pages-ignore-per-page" and path.by_cursor:
        data["containers"] = items[offset : offset + 50]
        pagination["count"] = len(data["containers"])
        pagination["hasNextPage"] = offset + 50 < len(items)
    elif bug == "page-access-overlap" and path.by_page and offset > 0:
        data["containers"] = items[offset - 1 : offset - 1 + per_page]
        pagination["count"] = len(data["containers"])
    elif bug == "past-end-repeats-last-page" and offset >= len(items) > 0:
        start = (len(items) - 1) // per_page * per_page
        data["containers"] = items[start : start + per_page]
        pagination["count"] = len(data["containers"])
    elif bug == "max-page-size-off-by-one" and path.per_page == "100" and len(items) > 100:
        data["containers"] = items[offset : offset + 101]
        pagination["count"] = len(data["containers"])
    elif bug == "empty-listing-has-next" and not items:
        pagination["hasNextPage"] = True
    elif bug == "default-size-count-total" and path.per_page is None:
        pagination["count"] = len(items)
    elif bug == "last-page-has-next-by-page" and path.by_page and last:
        pagination["hasNextPage"] = True
    elif bug == "cursor-drops-run-filter" and path.by_cursor and path.filtered:
        latest = RUNS[0]
        data["runId"] = latest.id
        data["containers"] = latest.containers()[:per_page]
        pagination["count"] = len(data["containers"])
    elif bug == "team-route-unfiltered-ignores-run" and path.team and not path.filtered:
        data["runId"] = RUNS[2].id
    elif bug == "short-middle-pages" and not last and len(chunk) > 1:
        data["containers"] = chunk[:-1]
        pagination["count"] = len(chunk) - 1


BUGS = (
    "team-count-total",
    "filtered-last-page-cursor",
    "cursor-pages-ignore-per-page",
    "page-access-overlap",
    "past-end-repeats-last-page",
    "max-page-size-off-by-one",
    "empty-listing-has-next",
    "default-size-count-total",
    "last-page-has-next-by-page",
    "cursor-drops-run-filter",
    "team-route-unfiltered-ignores-run",
    "short-middle-pages",
    "runid-ignores-trailing-characters",
    "runid-matches-a-prefix",
)


def create_app(choices: Choices | None = None) -> Starlette:
    return Server(choices or Choices()).app
