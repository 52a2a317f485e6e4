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


@fault(
    "missing-run-id",
    "REQ-SCH-RUN-ID",
    "data.runId is left out",
    hook="payload",
)
@in_place
def _missing_run_id(window: Window, body: Body) -> None:
    del body["data"]["runId"]


@fault(
    "containers-as-object",
    "REQ-SCH-CONTAINERS",
    "data.containers is an object keyed by name, not an array",
    hook="payload",
)
@in_place
def _containers_as_object(window: Window, body: Body) -> None:
    body["data"]["containers"] = {item["name"]: item for item in containers_of(body)}


@fault(
    "data-flattened",
    "REQ-SCH-DATA",
    "containers and runId sit at the top level; there is no data object",
    hook="payload",
)
def _data_flattened(ctx: Ctx, window: Window, body: Body) -> Body:
    data = body.pop("data")
    return {**data, **body}


@fault(
    "body-is-array",
    "REQ-SCH-BODY",
    "the body is a bare JSON array of containers",
    hook="payload",
)
def _body_is_array(ctx: Ctx, window: Window, body: Body) -> Any:
    return containers_of(body)


@fault(
    "missing-pagination",
    "REQ-SCH-PAGINATION",
    "there is no pagination object (the cursor sits at the top level)",
    hook="payload",
)
@in_place
def _no_pagination(window: Window, body: Body) -> None:
    body.pop("pagination")
    if window.next_offset is not None:
        body["cursor"] = cursor_for(window, window.next_offset)


@fault(
    "has-next-page-string",
    "REQ-SCH-HAS-NEXT-PAGE",
    "pagination.hasNextPage is the string 'true' or 'false'",
    hook="payload",
)
@in_place
def _has_next_page_string(window: Window, body: Body) -> None:
    body["pagination"]["hasNextPage"] = str(body["pagination"]["hasNextPage"]).lower()


@fault(
    "cursor-not-string",
    "REQ-SCH-CURSOR",
    "pagination.cursor is a number (the next offset)",
    hook="payload",
)
@in_place
def _cursor_as_number(window: Window, body: Body) -> None:
    if "cursor" in body["pagination"]:
        body["pagination"]["cursor"] = window.next_offset


@fault(
    "count-missing",
    "REQ-SCH-COUNT",
    "pagination.count is left out",
    hook="payload",
)
@in_place
def _count_missing(window: Window, body: Body) -> None:
    del body["pagination"]["count"]


def _byoc_fields_wrong(container: dict[str, Any]) -> None:
    container["nodeName"] = 7
    container["ipAddresses"] = "10.4.0.17,10.4.0.18"


fault(
    "created-at-string",
    "REQ-SCH-CREATED-AT",
    "containers[].createdAt is an ISO 8601 string, not epoch seconds",
    hook="payload",
)(each_container(_created_at_string))
fault(
    "updated-at-zero",
    "REQ-SCH-UPDATED-AT",
    "containers[].updatedAt is 0 for tasks that are still live",
    hook="payload",
)(each_container(_updated_at_zero))
fault(
    "missing-name",
    "REQ-SCH-NAME",
    "the first container of each page has no name",
    hook="payload",
)(first_container(lambda container: container.pop("name")))
fault(
    "status-outside-enum",
    "REQ-SCH-STATUS",
    "containers[].status is 'Running', 'Finished', ... instead of TASK_*",
    hook="payload",
)(each_container(_status_lowercase))
fault(
    "byoc-fields-wrong-type",
    "REQ-SCH-BYOC-FIELDS",
    "nodeName is a number and ipAddresses a comma-separated string",
    hook="payload",
)(each_container(_byoc_fields_wrong))
