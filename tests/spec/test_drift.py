"""The documentation page against the fragment and the catalog: nothing on the page is lost."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from conformance import spec
from conformance.catalog import Requirement
from tests.spec.drift import drift
from tests.spec.page import PageFormatError, parse

PAGE = spec.SOURCE_PAGE_PATH.read_text(encoding="utf-8")
STATUS = "response field 'data.containers[].status'"
CREATED_AT = "response field 'data.containers[].createdAt'"
ENUM = "TASK_RUNNING, TASK_STARTING, TASK_STAGING, TASK_KILLING, TASK_KILLED, TASK_FAILED"


def routes() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, item in spec.fragment()["paths"].items()
        for method in item
    ]


def run(
    page: str = PAGE,
    operation: dict[str, Any] | None = None,
    requirements: list[Requirement] | None = None,
) -> list[str]:
    return drift(
        parse(page),
        operation if operation is not None else spec.resolve(spec.operation()),
        routes(),
        requirements if requirements is not None else list(spec.requirements().values()),
    )


def edit(old: str, new: str, text: str = PAGE) -> str:
    assert text.count(old) == 1, f"{old!r} is not unique on the page"
    return text.replace(old, new)


def test_page_parses_into_every_statement() -> None:
    page = parse(PAGE)
    assert page.title == "List job containers"
    assert page.summary == "Gets a list of containers for the given job."
    assert page.permission == "Project > Jobs > Deployment > View Instance Logs"
    assert page.route == "GET /v1/projects/{projectId}/jobs/{jobId}/containers"
    assert (page.example_status, page.example_description) == (
        "200 OK",
        "Details about the job's containers.",
    )
    assert page.example["pagination"] == {"hasNextPage": False, "count": 1}
    assert [(p.name, p.type, p.required) for p in page.path_parameters] == [
        ("projectId", "string", True),
        ("jobId", "string", True),
    ]
    assert [(p.name, p.type, p.maximum) for p in page.query_parameters] == [
        ("per_page", "integer", 100),
        ("page", "integer", None),
        ("cursor", "string", None),
        ("runId", "string", None),
    ]
    fields = {item.path: item for item in page.body.walk()}
    assert list(fields) == [
        "",
        "data",
        "data.containers",
        "data.containers[]",
        "data.containers[].name",
        "data.containers[].createdAt",
        "data.containers[].status",
        "data.containers[].updatedAt",
        "data.runId",
        "pagination",
        "pagination.hasNextPage",
        "pagination.cursor",
        "pagination.count",
    ]
    assert [path for path, item in fields.items() if item.required] == [
        "data",
        "data.containers[].name",
        "data.containers[].createdAt",
        "data.containers[].status",
        "data.containers[].updatedAt",
        "data.runId",
        "pagination",
        "pagination.hasNextPage",
        "pagination.count",
    ]
    assert fields["data.containers[].createdAt"].minimum == 1
    assert fields["data.containers[].updatedAt"].minimum == 1
    assert fields["data.containers[].status"].enum == (*ENUM.split(", "), "TASK_FINISHED")
    assert fields["pagination.count"].type == "number"


def test_fragment_and_catalog_say_everything_the_page_says() -> None:
    assert run() == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "TASK_FAILED, TASK_FINISHED",
            "TASK_FAILED, TASK_FINISHED, TASK_PAUSED",
            [
                f"{STATUS}: enum value 'TASK_PAUSED' is missing from the fragment",
                f"{STATUS}: 'one of {ENUM}, TASK_FINISHED, TASK_PAUSED' is not quoted by any "
                "requirement about 'status'",
            ],
            id="new-enum-value",
        ),
        pytest.param(
            "TASK_KILLED, TASK_FAILED",
            "TASK_FAILED",
            [
                f"{STATUS}: enum value 'TASK_KILLED' in the fragment is not on the page",
                f"{STATUS}: 'one of TASK_RUNNING, TASK_STARTING, TASK_STAGING, TASK_KILLING, "
                "TASK_FAILED, TASK_FINISHED' is not quoted by any requirement about 'status'",
            ],
            id="removed-enum-value",
        ),
        pytest.param(
            "      If provided, only returns containers for this specific job run.\n",
            "      If provided, only returns containers for this specific job run.\n\n"
            "    • sort\n\n      string\n\n      The order of the results.\n",
            [
                "query parameter 'sort' (string): missing from the fragment",
                "query parameter 'sort': 'sort string The order of the results.' is not quoted "
                "by any requirement",
            ],
            id="new-query-parameter",
        ),
        pytest.param(
            "    • page\n\n      integer\n\n      The page number to access.\n\n",
            "",
            ["query parameter 'page' in the fragment is not on the page"],
            id="removed-query-parameter",
        ),
        pytest.param(
            "      • hasNextPage\n\n        boolean required\n\n"
            "        Is there another page of results available?\n\n",
            "",
            [
                "response field 'pagination.hasNextPage' in the fragment is not on the page and "
                "names no requirement from another source in x-requirements"
            ],
            id="removed-response-field",
        ),
        pytest.param(
            "was created.\n\n            min\n            1",
            "was created.\n\n            min\n            0",
            [
                f"{CREATED_AT}: min 0 on the page, minimum 1 in the fragment",
                f"{CREATED_AT}: 'min 0' is not quoted by any requirement about 'createdAt'",
            ],
            id="changed-min",
        ),
        pytest.param(
            "Maximum of 100 results",
            "Maximum of 200 results",
            [
                "query parameter 'per_page': description 'The number of results to display per "
                "request. Maximum of 200 results per page.' missing from the fragment",
                "query parameter 'per_page': max 200 on the page, maximum 100 in the fragment",
                "query parameter 'per_page': 'Maximum of 200 results per page.' is not quoted by "
                "any requirement about 'per_page'",
            ],
            id="changed-prose-maximum",
        ),
        pytest.param(
            "        string\n\n        The cursor to access",
            "        string required\n\n        The cursor to access",
            [
                "response field 'pagination.cursor': required on the page, optional in the "
                "fragment",
                "response field 'pagination.cursor': 'cursor string required The cursor to access "
                "the next page of results.' is not quoted by any requirement",
            ],
            id="field-becomes-required",
        ),
        pytest.param(
            "        The number of results returned by this request.\n",
            "        The number of results returned by this request.\n\n"
            "      • total\n\n        number required\n\n        The number of results.\n",
            [
                "response field 'pagination.total' (number required): missing from the fragment",
                "response field 'pagination.total': 'total number required The number of "
                "results.' is not quoted by any requirement",
            ],
            id="new-response-field",
        ),
        pytest.param(
            "View Instance Logs",
            "View Logs",
            [
                "permission 'Project > Jobs > Deployment > View Logs': missing from "
                "x-required-permission",
                "permission 'Project > Jobs > Deployment > View Logs': not quoted by any "
                "requirement",
            ],
            id="renamed-permission",
        ),
        pytest.param(
            "GET /v1/projects/{projectId}/jobs/{jobId}/containers",
            "GET /v2/projects/{projectId}/jobs/{jobId}/containers",
            [
                "route 'GET /v2/projects/{projectId}/jobs/{jobId}/containers': missing from the "
                "fragment's paths",
                "route 'GET /v2/projects/{projectId}/jobs/{jobId}/containers': not quoted by any "
                "requirement",
            ],
            id="new-route",
        ),
        pytest.param(
            '"count": 1',
            '"count": 2',
            ["example response: the page's JSON is not among the 200 examples"],
            id="changed-example",
        ),
    ],
)
def test_a_changed_page_reports_exactly_what_changed(
    old: str, new: str, expected: list[str]
) -> None:
    assert run(edit(old, new)) == expected


def test_a_fragment_missing_a_documented_value_is_reported() -> None:
    operation = spec.resolve(spec.operation())
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    container = ok["properties"]["data"]["properties"]["containers"]["items"]
    container["properties"]["status"]["enum"].remove("TASK_KILLED")
    ok["properties"]["data"]["required"] = []
    del container["properties"]["updatedAt"]["minimum"]
    container["properties"]["nodeName"]["x-requirements"] = ["REQ-SCH-NAME"]
    assert run(operation=operation) == [
        f"{STATUS}: enum value 'TASK_KILLED' is missing from the fragment",
        "response field 'data.containers[].updatedAt': min 1 on the page, minimum None in the "
        "fragment",
        "response field 'data.containers[].nodeName' in the fragment is not on the page and "
        "names no requirement from another source in x-requirements",
        "response field 'data.runId': required on the page, optional in the fragment",
    ]


def test_a_catalog_missing_a_quote_is_reported() -> None:
    kept = [
        r for r in spec.requirements().values() if r.id not in ("REQ-SCH-STATUS", "REQ-PAG-MAX-100")
    ]
    assert run(requirements=kept) == [
        "query parameter 'per_page': 'Maximum of 100 results per page.' is not quoted by any "
        "requirement about 'per_page'",
        f"{STATUS}: 'status string required The current status of the container.' is not "
        "quoted by any requirement",
    ]


def test_a_quote_about_another_field_does_not_cover_a_constraint() -> None:
    base = spec.requirements()["REQ-SCH-UPDATED-AT"]
    # The updatedAt quote holds "min 1" too; only createdAt's own requirement may cover it.
    trimmed = dataclasses.replace(
        spec.requirements()["REQ-SCH-CREATED-AT"],
        quote="createdAt integer required The timestamp the container was created.",
    )
    others = [r for r in spec.requirements().values() if r.id != "REQ-SCH-CREATED-AT"]
    assert base.quote.endswith("min 1")
    assert run(requirements=[*others, trimmed]) == [
        f"{CREATED_AT}: 'min 1' is not quoted by any requirement about 'createdAt'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Query parameters\n", "Query options\n", "heading 'Query parameters' not found"),
        (
            "created.\n\n            min\n            1",
            "created.\n\n            min\n            one",
            "'one' is not a number",
        ),
        ("\nJSON\n", "\nYAML\n", "expected a status line, a description, 'JSON'"),
        ('"count": 1\n', '"count": 1,\n', "the JSON does not parse"),
        ("    • jobId\n", "• jobId\n", "Path parameters: unexpected line at column 0: '• jobId'"),
    ],
)
def test_a_redesigned_page_fails_loudly(old: str, new: str, message: str) -> None:
    with pytest.raises(PageFormatError, match=re.escape(message)):
        parse(edit(old, new))
