"""Hand-built runs covering every outcome, with values that try to break escaping."""

from __future__ import annotations

import copy
from typing import Any

from conformance.evidence import Evidence
from conformance.report.files import report_dict
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
            message="cursor='eyJwIjoyfQ' (expected no pagination.cursor when hasNextPage is false)",
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


def big_body(containers: int) -> str:
    """A compact one-line listing body of many KB, as a target sends it."""
    items = ", ".join(
        f'{{"name": "nightly-{n:04d}-{"x" * 40}", "createdAt": 1700000000, "status": "RUNNING"}}'
        for n in range(containers)
    )
    return f'{{"data": {{"runId": "run-2", "containers": [{items}]}}, "pagination": ' + (
        '{"hasNextPage": true, "cursor": "' + "Q" * 300 + '", "count": 0}}'
    )


def stress_report(*, har: str | None = "run.har") -> dict[str, Any]:
    """Many failures with long URLs (a 600-character cursor), big JSON bodies and long values:
    what a narrow screen has to fit without horizontal scrolling. Evidence carries ``har_entry``
    as a recorded run's does."""
    cursor = "eyJ" + "A" * 600
    url = f"/v1/teams/{'t' * 40}/projects/demo/jobs/nightly/containers?per_page=100&cursor={cursor}"
    failures = []
    for n in range(1, 31):
        failures.append(
            CheckResult(
                id=f"NF-PAG-{n:03d}",
                title="A walk by cursor lists each container exactly once, on every page",
                requirements=["REQ-PAG-LAST-PAGE", "REQ-PRM-401", "REQ-PRM-403"],
                level="MUST" if n % 3 else "SHOULD",
                source=["documented"],
                status=Status.FAILED,
                message=f"cursor={cursor!r} (expected no pagination.cursor)",
                evidence=[
                    {**exchange(url, 200, big_body(60 if n % 2 else 3)), "har_entry": n * 2},
                    {"note": "second page " + "z" * 300, "har_entry": n * 2 + 1},
                ],
                expected="no pagination.cursor",
                received=f"cursor={cursor!r}",
            )
        )
    for n in range(1, 11):
        failures.append(
            CheckResult(
                id=f"NF-HTTP-{100 + n:03d}",
                title="Generated requests get only documented status codes",
                requirements=["REQ-HTTP-405"],
                level="MUST",
                source=["http"],
                status=Status.WARNED if n % 2 else Status.SKIPPED,
                message="y" * 400 if n % 2 else "not run: " + url,
            )
        )
    result = run_result(
        base_url="https://" + "very-long-subdomain-" * 6 + "example.com/api/" + "p" * 80,
        check_list=[*failures, *checks()],
    )
    report = report_dict(result)
    if har is not None:
        report["har"] = {"file": har, "entries": 62}  # as a run with --record writes it
    return report
