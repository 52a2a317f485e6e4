"""Hand-built runs covering every outcome, with values that try to break escaping."""

from __future__ import annotations

import copy

from conformance.evidence import Evidence
from conformance.results import CheckResult, RunResult, Status

SHA = "0123456789abcdef" * 4
NASTY = "<script>alert('x')</script> | `tick` & **bold** ```fence```"


def exchange(url: str, status: int, body: str, credential: str = "primary") -> Evidence:
    return {
        "request": {"method": "GET", "url": url, "credential": credential},
        "response": {"status": status, "content_type": "application/json", "body": body},
        "error": None,
    }


def checks() -> list[CheckResult]:
    return [
        CheckResult(
            id="NF-PAG-003",
            title="Last page carries no next cursor",
            requirements=["REQ-PAG-LAST-PAGE"],
            level="MUST",
            source=["documented"],
            status=Status.FAILED,
            message="hasNextPage is false but a cursor is present",
            evidence=[
                exchange(
                    "/v1/projects/demo/jobs/nightly/containers?per_page=2&page=2",
                    200,
                    '{"data": {"containers": []}, "pagination": {"hasNextPage": false, '
                    '"cursor": "eyJwIjoyfQ"}}',
                )
            ],
            expected="no pagination.cursor when hasNextPage is false",
            received="cursor='eyJwIjoyfQ'",
        ),
        CheckResult(
            id="NF-PRM-001",
            title="Missing token gives 401",
            requirements=["REQ-PRM-401"],
            level="MUST",
            source=["http"],
            status=Status.PASSED,
        ),
        CheckResult(
            id="NF-PRM-004",
            title="Restricted token gives 403",
            requirements=["REQ-PRM-403"],
            level="MUST",
            source=["documented"],
            status=Status.WARNED,
            message="404 instead of 403 for a token without the permission",
            evidence=[
                exchange(
                    "/v1/projects/demo/jobs/nightly/containers",
                    404,
                    '{"error": {"status": 404, "message": "Not found"}}',
                    credential="restricted",
                )
            ],
        ),
        CheckResult(
            id="NF-RUN-002",
            title="Default listing names the latest run",
            requirements=["REQ-RUN-DEFAULT-LATEST"],
            level="MUST",
            source=["documented"],
            status=Status.SKIPPED,
            message="the token may not read job runs (403 on GET .../runs)",
        ),
        CheckResult(
            id="NF-ERR-001",
            title="Error bodies carry a message",
            requirements=["REQ-ERR-SHAPE"],
            level="SHOULD",
            source=["official-client"],
            status=Status.FAILED,
            message=NASTY,
            evidence=[exchange("/v1/projects/demo/jobs/x%3Cy/containers", 404, NASTY)],
            expected="a non-empty error.message",
            received=NASTY,
        ),
    ]


REQUIREMENTS: list[dict[str, str]] = [
    {
        "id": "REQ-PAG-LAST-PAGE",
        "level": "MUST",
        "source": "documented",
        "ref": "list-job-containers: Response body / pagination",
        "quote": "cursor: The cursor to access the next page of results.",
    },
    {
        "id": "REQ-PRM-401",
        "level": "MUST",
        "source": "http",
        "ref": "RFC 9110 §15.5.2",
        "quote": "The 401 (Unauthorized) status code indicates that the request has not been "
        "applied because it lacks valid authentication credentials.",
    },
    {
        "id": "REQ-PRM-403",
        "level": "MUST",
        "source": "documented",
        "ref": "API notes: permissions",
        "quote": "Requires the Project > Jobs > General > Read permission.",
    },
    {
        "id": "REQ-RUN-DEFAULT-LATEST",
        "level": "MUST",
        "source": "documented",
        "ref": "list-job-containers: Query parameters / runId",
        "quote": "runId string ID of the job run. Defaults to the latest run.",
    },
    {
        "id": "REQ-ERR-SHAPE",
        "level": "SHOULD",
        "source": "official-client",
        "ref": "northflank SDK: ApiCallError",
        "quote": 'error: { status, message } <- "quoted" & <tagged>',
    },
    {
        "id": "REQ-HTTP-405",
        "level": "SHOULD",
        "source": "http",
        "ref": "RFC 9110 §15.5.6",
        "quote": "The 405 (Method Not Allowed) status code ...",
    },
]


def run_result(
    *, base_url: str | None = None, check_list: list[CheckResult] | None = None
) -> RunResult:
    return RunResult(
        tool={"name": "nf-conformance", "version": "0.1.0"},
        spec={"path": "spec/job-containers.openapi.yaml", "sha256": SHA},
        target={
            "base_url": base_url,
            "project_id": "demo",
            "job_id": "nightly",
            "run_id": "run-2",
            "team_id": None,
        },
        seed=1234,
        started_at="2026-11-28T09:30:00+00:00",
        duration_s=12.3456,
        requests_sent=87,
        checks=check_list if check_list is not None else checks(),
        transport={"retries": 1, "responses_429": 1},
        requirements=copy.deepcopy(REQUIREMENTS),
    )


def passing_result() -> RunResult:
    """Only passed, warned and skipped checks: a conformant run."""
    return run_result(check_list=[c for c in checks() if c.status is not Status.FAILED])
