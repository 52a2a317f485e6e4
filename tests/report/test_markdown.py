from __future__ import annotations

import re

from conformance.report.files import report_dict
from conformance.report.markdown import render
from tests.report.builders import NASTY, passing_result, run_result, stress_report
from tests.report.snapshot import assert_snapshot, mask


def test_failing_report_snapshot() -> None:
    assert_snapshot("report-failing.md", render(report_dict(run_result())))


def test_passing_live_report_snapshot() -> None:
    result = passing_result()
    result.target["base_url"] = "https://staging.example.com/api"
    assert_snapshot("report-passing-live.md", render(report_dict(result)))


def test_the_mask_hides_volatile_values_only() -> None:
    text = render(report_dict(run_result()))
    masked = mask(text)
    for value in ("2026-11-28T09:30:00+00:00", "12.3", "0123456789abcdef" * 4, "1234"):
        assert value in text
        assert value not in masked
    assert "NF-PAG-003" in masked


def test_header_carries_what_issue_6_asks_for() -> None:
    result = run_result(base_url="https://user:pw@api.example.com:8443/v1")
    text = render(report_dict(result))
    head = text.split("## ", 1)[0]
    assert "**Not conformant: 1 required check failed** (exit code 1)" in head
    assert "| failed | 2 |" in head
    assert "Requirement coverage: 4 of 6 requirements checked" in head
    assert "Target: `api.example.com:8443`" in head
    assert "user" not in head
    assert "pw@" not in head
    assert "project_id `demo`" in head
    assert "run_id `run-2`" in head
    assert "Suite: `nf-conformance 0.1.0`" in head
    assert "Seed: `1234`" in head
    assert "Requests sent: 87" in head


def test_each_failure_has_expected_received_evidence_and_reproduce_lines() -> None:
    text = render(report_dict(run_result(base_url="https://api.example.com")))
    section = text.split("### NF-PAG-003", 1)[1].split("\n### ", 1)[0]
    assert "- Expected: `no pagination.cursor when hasNextPage is false`" in section
    assert "- Received: ``cursor='eyJwIjoyfQ'``" not in section
    assert "- Received: `cursor='eyJwIjoyfQ'`" in section
    assert "GET /v1/projects/demo/jobs/nightly/containers?per_page=2&page=2" in section
    assert '"cursor": "eyJwIjoyfQ"' in section
    assert (
        'curl -sS -H "Authorization: Bearer $NORTHFLANK_API_TOKEN" '
        "'https://api.example.com/v1/projects/demo/jobs/nightly/containers?per_page=2&page=2'"
    ) in section
    assert (
        "nf-conformance run --base-url https://api.example.com --project-id demo "
        "--job-id nightly --run-id run-2 --seed 1234 --only NF-PAG-003"
    ) in section


def test_one_section_per_requirement_with_quote_and_covering_checks() -> None:
    report = report_dict(run_result())
    text = render(report)
    for requirement in report["requirements"]:
        assert f"\n### {requirement['id']}\n" in text
    section = text.split("### REQ-PRM-403", 1)[1].split("\n### ", 1)[0]
    assert "> Requires the Project \\> Jobs \\> General \\> Read permission." in section
    assert "MUST, documented: API notes: permissions" in section
    assert "| NF-PRM-004 | Restricted token gives 403 | MUST | warned |" in section
    assert "No check covers this requirement" in text.split("### REQ-HTTP-405", 1)[1]


def test_hostile_values_cannot_break_the_structure() -> None:
    text = render(report_dict(run_result()))
    headings = re.findall(r"^#+ .*$", text, flags=re.M)
    assert all("script" not in heading for heading in headings)
    # the body containing ``` sits in a longer fence, so every fence closes what it opened
    fences = re.findall(r"^\s*(`{3,})", text, flags=re.M)
    assert len(fences) % 2 == 0
    assert "````" in text
    assert "- Message:" not in text  # both failures' messages only repeat expected/received
    assert NASTY in text  # only verbatim inside code, where Markdown shows it as text


def failure_section(text: str, check_id: str) -> str:
    return text.split(f"### {check_id}", 1)[1].split("\n### ", 1)[0]


def test_each_failure_shows_expected_and_received_once() -> None:
    section = failure_section(render(report_dict(run_result())), "NF-PAG-003")
    assert section.count("no pagination.cursor when hasNextPage is false") == 1
    assert section.count("cursor='eyJwIjoyfQ'") == 1
    assert "Message" not in section


def test_a_message_that_adds_to_expected_and_received_is_shown() -> None:
    result = run_result()
    result.checks[0].message = "the third of 3 pages"
    section = failure_section(render(report_dict(result)), "NF-PAG-003")
    assert section.count("- Message: the third of 3 pages") == 1


def test_json_bodies_are_indented_in_a_json_fence() -> None:
    section = failure_section(render(report_dict(run_result())), "NF-PAG-003")
    assert (
        '  ```json\n  {\n    "data": {\n      "containers": []\n    },\n    "pagination": {\n'
    ) in section


def test_failures_link_to_their_har_entries_when_the_run_was_recorded() -> None:
    section = failure_section(render(stress_report(har="run 1.har")), "NF-PAG-001")
    assert (
        "  - Exchange: [HAR entry 2](<run%201.har#entry-2>): log.entries\\[2\\] of run 1.har"
        in (section)
    )
    assert "[HAR entry 3](<run%201.har#entry-3>)" in section
    assert "print it with `jq '.log.entries[2]' 'run 1.har'`" in section


def test_no_har_line_without_a_recording_and_no_link_to_a_url() -> None:
    assert "Exchange:" not in render(report_dict(run_result()))
    unnamed = failure_section(render(stress_report(har=None)), "NF-PAG-001")
    assert "  - Exchange: HAR entry 2: log.entries\\[2\\] of the run's HAR recording" in unnamed
    hostile = render(stress_report(har="javascript:alert(1)"))
    assert "](<javascript" not in hostile
    assert "- Exchange: HAR entry 2: " in hostile
