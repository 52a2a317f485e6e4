"""spec/job-containers.openapi.yaml: a valid OpenAPI 3.1 document saying what issue 2 asks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from conformance import spec

ERROR_STATUSES = ("400", "401", "403", "404", "429")


def walk(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def test_fragment_is_valid_openapi_3_1() -> None:
    document = copy.deepcopy(spec.fragment())
    assert document["openapi"].startswith("3.1.")
    validate(document)


def test_the_validator_rejects_a_broken_fragment() -> None:
    document = copy.deepcopy(spec.fragment())
    del document["components"]["parameters"]["per_page"]["in"]
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_every_ref_resolves() -> None:
    resolved = spec.resolve(spec.fragment())
    assert [
        path for path, node in walk(resolved) if isinstance(node, dict) and "$ref" in node
    ] == []


def test_both_routes_share_the_same_operation() -> None:
    paths = spec.fragment()["paths"]
    project, team = spec.operation(), spec.team_operation()
    assert (
        paths[spec.PROJECT_ROUTE]["get"]["operationId"] == spec.OPERATION_ID == "getJobContainers"
    )
    assert paths[spec.TEAM_ROUTE]["get"]["operationId"] == spec.TEAM_OPERATION_ID
    assert spec.TEAM_OPERATION_ID == "getTeamJobContainers"
    assert project["tags"] == team["tags"] == [spec.UNDER_TEST_TAG]
    team_params = spec.resolve(team["parameters"])
    assert team_params[0]["name"] == "teamId"
    assert team_params[0]["in"] == "path"
    assert team_params[1:] == spec.resolve(project["parameters"])
    assert project["x-required-permission"] == team["x-required-permission"]

    def without_links(operation: dict[str, Any]) -> dict[str, Any]:
        responses: dict[str, Any] = spec.resolve(operation["responses"])
        del responses["200"]["links"]
        return responses

    assert without_links(project) == without_links(team)


def test_the_runs_operation_is_marked_discovery_only() -> None:
    under_test = [
        item["get"]["operationId"]
        for item in spec.fragment()["paths"].values()
        if spec.UNDER_TEST_TAG in item["get"]["tags"]
    ]
    assert under_test == [spec.OPERATION_ID, spec.TEAM_OPERATION_ID]
    runs = spec.fragment()["paths"][spec.RUNS_ROUTE]["get"]
    assert runs["tags"] == [spec.DISCOVERY_TAG]
    assert runs["x-under-test"] is False
    assert "not under test" in runs["summary"]


def test_query_parameters_carry_their_documented_constraints() -> None:
    params = spec.query_parameters()
    assert {name: p["schema"] for name, p in params.items()} == {
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
        "page": {"type": "integer", "minimum": 1},
        "cursor": {"type": "string"},
        "runId": {"type": "string"},
    }
    assert not any(p.get("required", False) for p in params.values())
    assert params["per_page"]["schema"]["maximum"] == spec.MAX_PER_PAGE  # the suite's one 100
    path = [p for p in spec.resolve(spec.operation()["parameters"]) if p["in"] == "path"]
    assert [(p["name"], p["required"], p["schema"]) for p in path] == [
        ("projectId", True, {"type": "string"}),
        ("jobId", True, {"type": "string"}),
    ]


def test_bearer_auth_and_both_permission_names() -> None:
    document = spec.fragment()
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec.required_permissions() == (
        "Project > Jobs > Deployment > View Instance Logs",
        "Project > Jobs > Deployment > View Observability",
    )


def test_error_responses_use_the_northflank_error_body() -> None:
    responses = spec.resolve(spec.operation()["responses"])
    assert sorted(responses) == ["200", *ERROR_STATUSES]
    error = spec.resolve(spec.fragment()["components"]["schemas"]["Error"])
    for status in ERROR_STATUSES:
        assert list(responses[status]["content"]) == ["application/json"]
        assert responses[status]["content"]["application/json"]["schema"] == error
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["message"]
    assert set(error["properties"]["error"]["properties"]) == {"status", "message", "id", "details"}


@pytest.mark.parametrize(
    ("operation", "link", "passed_on"),
    [
        ("getJobContainers", "NextPage", ["projectId", "jobId", "per_page", "runId", "cursor"]),
        (
            "getTeamJobContainers",
            "TeamNextPage",
            ["teamId", "projectId", "jobId", "per_page", "runId", "cursor"],
        ),
    ],
)
def test_the_next_page_link_follows_the_cursor(
    operation: str, link: str, passed_on: list[str]
) -> None:
    operations = {
        item["get"]["operationId"]: item["get"] for item in spec.fragment()["paths"].values()
    }
    ok = spec.resolve(operations[operation]["responses"]["200"])
    followed = ok["links"]["nextPage"]
    assert followed == spec.resolve(spec.fragment()["components"]["links"][link])
    assert followed["operationId"] == operation
    params = followed["parameters"]
    assert params["query.cursor"] == "$response.body#/pagination/cursor"
    target = {(p["in"], p["name"]) for p in spec.resolve(operations[operation]["parameters"])}
    names = []
    for key, expression in params.items():
        location, name = key.split(".")
        assert (location, name) in target
        if name != "cursor":
            assert expression == f"$request.{location}.{name}"
        names.append(name)
    assert names == passed_on


def test_every_link_targets_an_operation_and_its_parameters() -> None:
    operations = {
        item["get"]["operationId"]: item["get"] for item in spec.fragment()["paths"].values()
    }
    links = [node for path, node in walk(spec.resolve(spec.fragment())) if path.endswith("/links")]
    assert links
    for group in links:
        for link in group.values():
            target = spec.resolve(operations[link["operationId"]]["parameters"])
            names = {f"{p['in']}.{p['name']}" for p in target}
            assert set(link["parameters"]) <= names


def test_every_requirement_named_in_the_fragment_exists() -> None:
    named = [
        (path, requirement_id)
        for path, node in walk(spec.fragment())
        if path.endswith("/x-requirements")
        for requirement_id in node
    ]
    assert len(named) > 30
    assert [entry for entry in named if entry[1] not in spec.requirements()] == []


def test_every_field_of_the_bodies_has_a_description() -> None:
    undescribed = [
        path
        for status in (200, 400)
        for path, node in walk(spec.response_schema(status), f"{status}")
        if isinstance(node, dict)
        and node.get("type")
        and "description" not in node
        and not path.endswith("/items")
    ]
    assert undescribed == []
