"""conformance/spec.py: the operation, its resolved body schemas and validate_body."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conformance import spec
from tests.spec.page import parse

ENUM = (
    "['TASK_RUNNING', 'TASK_STARTING', 'TASK_STAGING', 'TASK_KILLING', 'TASK_KILLED', "
    "'TASK_FAILED', 'TASK_FINISHED']"
)


def example() -> dict[str, Any]:
    return copy.deepcopy(spec.documented_example())


def changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    body = example()
    change(body)
    return body


def container(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = body["data"]["containers"][0]
    return found


def test_spec_files_are_found() -> None:
    for path in (spec.FRAGMENT_PATH, spec.REQUIREMENTS_PATH, spec.SOURCE_PAGE_PATH):
        assert path.is_file()
        assert path.is_relative_to(spec.SPEC_DIR)


def test_operation_is_the_documented_route() -> None:
    operation = spec.operation()
    assert operation["operationId"] == "getJobContainers"
    assert operation is not spec.operation()  # a copy: callers cannot change the fragment


def test_documented_example_is_the_pages_example() -> None:
    page = parse(spec.SOURCE_PAGE_PATH.read_text(encoding="utf-8"))
    assert spec.documented_example() == page.example


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 429])
def test_response_schema_is_a_resolved_2020_12_schema(status: int) -> None:
    schema = spec.response_schema(status)
    Draft202012Validator.check_schema(schema)
    assert "$ref" not in repr(schema)


def test_response_schema_is_a_fresh_copy() -> None:
    spec.response_schema(200)["required"].clear()
    assert spec.response_schema(200)["required"] == ["data", "pagination"]


def test_undocumented_error_statuses_get_the_error_body() -> None:
    assert spec.response_schema(500) == spec.response_schema(422) == spec.response_schema(401)
    with pytest.raises(ValueError, match=r"status 204 has no body schema; documented: 200, 400"):
        spec.response_schema(204)


def test_the_documented_example_validates() -> None:
    assert spec.validate_body(200, example()) == []
    assert list(Draft202012Validator(spec.response_schema(200)).iter_errors(example())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda b: container(b).update(status="TASK_PAUSED"),
            [f"$.data.containers[0].status: 'TASK_PAUSED' is not one of {ENUM}"],
            id="status-outside-enum",
        ),
        pytest.param(
            lambda b: container(b).update(createdAt=0),
            ["$.data.containers[0].createdAt: 0 is less than the minimum of 1"],
            id="createdAt-0",
        ),
        pytest.param(
            lambda b: container(b).update(updatedAt="1611241087"),
            ["$.data.containers[0].updatedAt: '1611241087' is not of type 'integer'"],
            id="updatedAt-string",
        ),
        pytest.param(
            lambda b: container(b).pop("name"),
            ["$.data.containers[0]: 'name' is a required property"],
            id="missing-name",
        ),
        pytest.param(
            lambda b: b["data"].pop("runId"),
            ["$.data: 'runId' is a required property"],
            id="missing-runId",
        ),
        pytest.param(
            lambda b: b.pop("pagination"),
            ["$: 'pagination' is a required property"],
            id="missing-pagination",
        ),
        pytest.param(
            lambda b: b["pagination"].update(cursor=None),
            ["$.pagination.cursor: None is not of type 'string'"],
            id="null-cursor",
        ),
        pytest.param(
            lambda b: b["pagination"].update(hasNextPage="false", count="1"),
            [
                "$.pagination.count: '1' is not of type 'number'",
                "$.pagination.hasNextPage: 'false' is not of type 'boolean'",
            ],
            id="strings-for-boolean-and-number",
        ),
        pytest.param(
            lambda b: container(b).update(ipAddresses="10.0.0.1"),
            ["$.data.containers[0].ipAddresses: '10.0.0.1' is not of type 'array'"],
            id="byoc-ipAddresses-not-array",
        ),
    ],
)
def test_a_broken_body_is_reported_with_path_and_value(
    change: Callable[[dict[str, Any]], object], expected: list[str]
) -> None:
    assert spec.validate_body(200, changed(change)) == expected


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: b["data"].pop("containers"), id="containers-optional"),
        pytest.param(lambda b: b["data"].update(containers=[]), id="no-containers"),
        pytest.param(lambda b: b.update(extra={"added": "later"}), id="extra-top-level"),
        pytest.param(lambda b: container(b).update(restarts=3), id="extra-container-field"),
        pytest.param(lambda b: b["pagination"].update(cursor="abc", hasNextPage=True), id="cursor"),
        pytest.param(
            lambda b: container(b).update(
                nodeName="n",
                nodePoolUserId="u",
                nodePoolProviderId="p",
                host="h",
                ipAddresses=["10.0.0.1"],
            ),
            id="byoc-fields",
        ),
    ],
)
def test_bodies_the_documentation_allows_validate(
    change: Callable[[dict[str, Any]], object],
) -> None:
    assert spec.validate_body(200, changed(change)) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"error": {"message": "Unauthorized"}}, []),
        ({"error": {"status": 401, "message": "x", "id": "e1", "details": [1, None]}}, []),
        ({}, ["$: 'error' is a required property"]),
        ({"error": {"status": 401}}, ["$.error: 'message' is a required property"]),
        (
            {"error": {"status": "401", "message": "x"}},
            ["$.error.status: '401' is not of type 'integer'"],
        ),
        ("Unauthorized", ["$: 'Unauthorized' is not of type 'object'"]),
    ],
)
def test_error_bodies(body: object, expected: list[str]) -> None:
    assert spec.validate_body(401, body) == expected


def test_long_messages_are_shortened() -> None:
    (message,) = spec.validate_body(404, "x" * 1000)
    assert len(message) == 300
    assert message.startswith("$: 'xxx")
    assert message.endswith("…")
