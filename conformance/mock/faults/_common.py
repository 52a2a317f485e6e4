"""Small helpers the fault modules share: hooks built from what a fault changes (payload edits,
field replacements, access and status rewrites, the run listed, a JSON error body), cursors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from starlette.responses import JSONResponse, Response

from conformance.mock import cursor
from conformance.mock.fixture import Job, Run
from conformance.mock.model import Access, ApiError, Body, Ctx, Query, Selection, Window

PayloadHook = Callable[[Ctx, Window, Body], Body]
SelectHook = Callable[[Ctx, Job, Query, Selection | None], Selection | None]
ErrorHook = Callable[[Ctx, ApiError], ApiError | Response]
T = TypeVar("T")


def containers_of(body: Body) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = body["data"]["containers"]
    return containers


def in_place(change: Callable[[Window, Body], None]) -> PayloadHook:
    """A payload hook that edits the body in place (``change`` returns nothing)."""

    @functools.wraps(change)
    def hook(ctx: Ctx, window: Window, body: Body) -> Body:
        change(window, body)
        return body

    return hook


def each_container(change: Callable[[dict[str, Any]], None]) -> PayloadHook:
    def hook(ctx: Ctx, window: Window, body: Body) -> Body:
        for container in containers_of(body):
            change(container)
        return body

    return hook


def first_container(change: Callable[[dict[str, Any]], None]) -> PayloadHook:
    def hook(ctx: Ctx, window: Window, body: Body) -> Body:
        if containers := containers_of(body):
            change(containers[0])
        return body

    return hook


def replacing(**changes: Any) -> Callable[[Ctx, T], T]:
    """A hook that answers with its value (limits, query, window) with ``changes`` made."""

    def hook(ctx: Ctx, value: T) -> T:
        return replace(value, **changes)  # type: ignore[type-var]

    return hook


def on_access(access: Access, to: Access) -> Callable[[Ctx, Access], Access]:
    def hook(ctx: Ctx, given: Access) -> Access:
        return to if given is access else given

    return hook


def on_status(status: int, to: int) -> Callable[[Ctx, ApiError], ApiError]:
    def hook(ctx: Ctx, error: ApiError) -> ApiError:
        if error.status == status:
            error.status = to
        return error

    return hook


def lists_run(choose: Callable[[Job, Query, Selection | None], Run | None]) -> SelectHook:
    """A select hook that lists the run ``choose`` picks, naming it in data.runId (None: the
    selection as it was)."""

    @functools.wraps(choose)
    def hook(ctx: Ctx, job: Job, query: Query, selection: Selection | None) -> Selection | None:
        run = choose(job, query, selection)
        return selection if run is None else Selection(run, run.id)

    return hook


def json_error(body_of: Callable[[Ctx, ApiError], Body | None]) -> ErrorHook:
    """An error hook that answers with the JSON body ``body_of`` makes, with the error's status
    and headers (None: the error as it was)."""

    @functools.wraps(body_of)
    def hook(ctx: Ctx, error: ApiError) -> ApiError | Response:
        body = body_of(ctx, error)
        if body is None:
            return error
        return JSONResponse(body, status_code=error.status, headers=error.headers)

    return hook


def cursor_for(window: Window, offset: int) -> str:
    state = cursor.CursorState(
        "containers", window.job_index, window.run_index, window.per_page, offset
    )
    return cursor.encode(state)
