"""Small helpers the fault modules share: payload edits per container, status rewrites, cursors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.mock import cursor
from conformance.mock.model import ApiError, Body, Ctx, Window

PayloadHook = Callable[[Ctx, Window, Body], Body]


def containers_of(body: Body) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = body["data"]["containers"]
    return containers


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


def on_status(status: int, to: int) -> Callable[[Ctx, ApiError], ApiError]:
    def hook(ctx: Ctx, error: ApiError) -> ApiError:
        if error.status == status:
            error.status = to
        return error

    return hook


def cursor_for(window: Window, offset: int) -> str:
    state = cursor.CursorState(
        "containers", window.job_index, window.run_index, window.per_page, offset
    )
    return cursor.encode(state)
