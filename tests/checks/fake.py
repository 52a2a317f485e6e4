"""A small, correct fake of the endpoint for unit tests of the checks, served through respx.

``FakeApi`` answers like the documentation says; a test breaks one behaviour by overriding a
hook (``body``, ``status_for_auth``, ...) or a flag, and shows the check that guards it fails.
Deliberately independent of conformance/mock/ so the checks are not only proven against it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

import conformance.checks  # noqa: F401 - registers the checks judged here
from conformance.catalog import CHECKS, NotRun, Scope
from conformance.context import CheckContext
from conformance.probes import plan
from conformance.results import CheckResult
from conformance.runner import run_check
from conformance.target import BudgetExhausted, TargetClient, TargetSettings
from conformance.walker import WalkMode

BASE_URL = "https://api.test"
TOKEN = "tok-primary-0123456789"
RESTRICTED = "tok-restricted-0123456789"
STATUSES = ("TASK_RUNNING", "TASK_FINISHED", "TASK_FAILED")
Body = dict[str, Any]
MODES: tuple[WalkMode, ...] = ("cursor", "page")


def containers(run: str, count: int) -> list[Body]:
    return [
        {
            "name": f"job-{run}-{index:05d}",
            "createdAt": 1_700_000_000 + index,
            "status": STATUSES[index % len(STATUSES)],
            "updatedAt": 1_700_000_100 + index,
        }
        for index in range(count)
    ]


def error(status: int, message: str) -> httpx.Response:
    body = {"error": {"status": status, "message": message, "id": f"e{status}"}}
    return httpx.Response(status, json=body, headers=_ratelimit())


def _ratelimit() -> dict[str, str]:
    return {"x-ratelimit-limit": "1000", "x-ratelimit-remaining": "900", "x-ratelimit-reset": "60"}


@dataclass
class FakeApi:
    """One team, project and job; ``runs`` maps run id -> container count, newest first."""

    runs: dict[str, int] = field(default_factory=lambda: {"r-new": 12, "r-big": 230, "r-old": 5})
    team: str = "team"
    project: str = "proj"
    job: str = "job"
    default_per_page: int = 50
    # hooks a test overrides to break one behaviour
    query: Callable[[httpx.QueryParams], httpx.QueryParams] = field(default=lambda params: params)
    body: Callable[[Body, dict[str, Any]], Body] = field(default=lambda body, state: body)
    response: Callable[[httpx.Response, httpx.Request], httpx.Response] = field(
        default=lambda response, request: response
    )
    requests: list[httpx.Request] = field(default_factory=list)

    def items(self, run: str) -> list[Body]:
        return containers(run, self.runs[run])

    # --- the request pipeline ----------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response(self.handle(request), request)

    def handle(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        if parts[:2] == ["v1", "teams"]:
            if len(parts) < 3 or parts[2] != self.team:
                return self._auth(request) or error(404, "Team not found")
            parts = ["v1", *parts[3:]]
        if len(parts) != 6 or parts[1] != "projects" or parts[3] != "jobs":
            return error(404, "Not found")
        if request.method != "GET":
            return error(405, "Method not allowed")
        denied = self._auth(request)
        if denied:
            return denied
        if parts[2] != self.project:
            return error(404, "Project not found")
        if parts[4] != self.job:
            return error(404, "Job not found")
        if request.headers.get("authorization") == f"Bearer {RESTRICTED}":
            return error(403, "Missing permission")
        if parts[5] == "runs":
            runs = [{"id": run} for run in self.runs]
            body = {"data": {"runs": runs}, "pagination": {"hasNextPage": False, "count": 3}}
            return httpx.Response(200, json=body, headers=_ratelimit())
        if parts[5] != "containers":
            return error(404, "Not found")
        return self._list(self.query(request.url.params))

    def _auth(self, request: httpx.Request) -> httpx.Response | None:
        header = request.headers.get("authorization")
        if header not in (f"Bearer {TOKEN}", f"Bearer {RESTRICTED}"):
            return error(401, "Unauthorized")
        return None

    def _list(self, params: httpx.QueryParams) -> httpx.Response:
        state: dict[str, Any] = {}
        try:
            if "cursor" in params:
                decoded = json.loads(base64.urlsafe_b64decode(params["cursor"].encode()))
                run, per_page, offset = decoded["r"], decoded["n"], decoded["o"]
            else:
                run = params.get("runId") or next(iter(self.runs))
                per_page = int(params.get("per_page", self.default_per_page))
                page = int(params.get("page", "1"))
                if not 1 <= per_page <= 100 or page < 1:
                    raise ValueError
                offset = (page - 1) * per_page
        except (ValueError, KeyError, TypeError):
            return error(400, "Invalid query")
        if run not in self.runs:
            return error(404, "Run not found")
        items = self.items(run)
        page_items = items[offset : offset + per_page]
        has_next = offset + per_page < len(items)
        pagination: Body = {"hasNextPage": has_next, "count": len(page_items)}
        if has_next:
            cursor = {"r": run, "n": per_page, "o": offset + per_page}
            pagination["cursor"] = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode()
        body: Body = {"data": {"containers": page_items, "runId": run}, "pagination": pagination}
        state.update(run=run, per_page=per_page, offset=offset, items=items, params=params)
        return httpx.Response(200, json=self.body(body, state), headers=_ratelimit())


def judge(ctx: CheckContext, check_id: str) -> CheckResult:
    """Run one check as the runner would; response checks first get the run's usual traffic."""
    check = CHECKS[check_id]
    if check.scope is Scope.RESPONSES:
        with suppress(NotRun, BudgetExhausted):
            ctx.baseline()
            plan(ctx)
            for mode in MODES:
                ctx.full_walk(mode)
                ctx.small_walk(mode)
    return run_check(check, ctx)


@contextmanager
def context(
    api: FakeApi | None = None, *, mock: bool = False, **settings: Any
) -> Iterator[CheckContext]:
    """A CheckContext whose client talks to ``api`` through respx."""
    api = api or FakeApi()
    values: dict[str, Any] = {
        "base_url": None if mock else BASE_URL,
        "project_id": api.project,
        "job_id": api.job,
        "token": TOKEN,
        "restricted_token": RESTRICTED,
        "team_id": api.team,
        "run_id": "r-big",
        **settings,
    }
    router = respx.MockRouter(base_url=BASE_URL, assert_all_called=False, using=None)
    router.route().mock(side_effect=api)
    # a transport of its own: no patching, and no TLS context to build for every test
    http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(router.handler))
    with TargetClient(TargetSettings(**values), http) as client:
        yield CheckContext(client=client, seed=7)
