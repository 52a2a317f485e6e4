"""Faults in the body's shape: types, names and places of fields (REQ-SCH-*)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conformance.mock.faults._common import (
    containers_of,
    cursor_for,
    each_container,
    first_container,
    in_place,
)
from conformance.mock.faults.base import fault
from conformance.mock.model import Body, Ctx, Window


def _created_at_string(container: dict[str, Any]) -> None:
    created = datetime.fromtimestamp(container["createdAt"], UTC)
    container["createdAt"] = created.isoformat().replace("+00:00", "Z")


def _updated_at_zero(container: dict[str, Any]) -> None:
    if container["status"] in ("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING"):
        container["updatedAt"] = 0


def _status_lowercase(container: dict[str, Any]) -> None:
    container["status"] = container["status"].removeprefix("TASK_").capitalize()


@fault("missing-run-id", hook="payload")
@in_place
def _missing_run_id(window: Window, body: Body) -> None:
    del body["data"]["runId"]


@fault("containers-as-object", hook="payload")
@in_place
def _containers_as_object(window: Window, body: Body) -> None:
    body["data"]["containers"] = {item["name"]: item for item in containers_of(body)}


@fault("data-flattened", hook="payload")
def _data_flattened(ctx: Ctx, window: Window, body: Body) -> Body:
    data = body.pop("data")
    return {**data, **body}


@fault("body-is-array", hook="payload")
def _body_is_array(ctx: Ctx, window: Window, body: Body) -> Any:
    return containers_of(body)


@fault("missing-pagination", hook="payload")
@in_place
def _no_pagination(window: Window, body: Body) -> None:
    body.pop("pagination")
    if window.next_offset is not None:
        body["cursor"] = cursor_for(window, window.next_offset)


@fault("has-next-page-string", hook="payload")
@in_place
def _has_next_page_string(window: Window, body: Body) -> None:
    body["pagination"]["hasNextPage"] = str(body["pagination"]["hasNextPage"]).lower()


@fault("cursor-not-string", hook="payload")
@in_place
def _cursor_as_number(window: Window, body: Body) -> None:
    if "cursor" in body["pagination"]:
        body["pagination"]["cursor"] = window.next_offset


@fault("count-missing", hook="payload")
@in_place
def _count_missing(window: Window, body: Body) -> None:
    del body["pagination"]["count"]


def _byoc_fields_wrong(container: dict[str, Any]) -> None:
    container["nodeName"] = 7
    container["ipAddresses"] = "10.4.0.17,10.4.0.18"


fault("created-at-string", hook="payload")(each_container(_created_at_string))
fault("updated-at-zero", hook="payload")(each_container(_updated_at_zero))


@fault("timestamps-in-ms-by-cursor", hook="payload")
def _timestamps_in_ms_by_cursor(ctx: Ctx, window: Window, body: Body) -> Body:
    if ctx.cell is not None and ctx.cell.access == "cursor":
        for container in containers_of(body):
            container["createdAt"] *= 1000
            container["updatedAt"] *= 1000
    return body


fault("missing-name", hook="payload")(first_container(lambda container: container.pop("name")))
fault("status-outside-enum", hook="payload")(each_container(_status_lowercase))
fault("byoc-fields-wrong-type", hook="payload")(each_container(_byoc_fields_wrong))
