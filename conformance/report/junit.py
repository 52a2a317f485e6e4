"""junit.xml: one testcase per check, named by ID and title, so CI systems show the check ID.

A failed MUST check -> <failure> with expected and received; skipped -> <skipped> with the
reason; warned, and a failed SHOULD or MAY check (which only warns) -> a passing testcase whose
<system-out> carries the warning; an expected failure -> <skipped> naming the expected-failures
entry. So the JUnit failures are exactly what makes the run fail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from conformance.report import view
from conformance.report.formats import report_format


def _failure_text(report: view.Report, check: Mapping[str, Any]) -> str:
    lines = []
    if check.get("expected") is not None:
        lines.append(f"Expected: {check['expected']}")
    if check.get("received") is not None:
        lines.append(f"Received: {check['received']}")
    if check.get("message") and not lines:
        lines.append(check["message"])
    for evidence in check.get("evidence") or []:
        request = evidence.get("request") or {}
        response = evidence.get("response") or {}
        if request:
            lines.append(f"Request:  {request.get('method', 'GET')} {request.get('url', '')}")
        if response:
            lines.append(f"Response: {response.get('status')} {response.get('content_type') or ''}")
        break
    lines.append(f"Requirements: {', '.join(check['requirements'])}")
    lines.append(f"Reproduce: {view.run_command(report, check['id'])}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped; drop them."""
    return "".join(
        ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF))
    )


@report_format(kind="junit", filename="junit.xml")
def render(report: view.Report) -> str:
    """The junit.xml text for a report.json dict."""
    summary = report["summary"]
    failures = sum(1 for c in report["checks"] if view.is_blocking(c))
    excused = sum(
        1 for c in report["checks"] if c["status"] == "failed" and c.get("expected_failure")
    )
    counts = {
        "tests": str(len(report["checks"])),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(summary["skipped"] + excused),
        "time": f"{report['duration_s']:.3f}",
    }
    suites = ET.Element("testsuites", {"name": "nf-conformance", **counts})
    suite = ET.SubElement(
        suites,
        "testsuite",
        {"name": "nf-conformance", "timestamp": report["started_at"], **counts},
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("tool_version", report["tool"]["version"]),
        ("spec_sha256", report["spec"]["sha256"]),
        ("seed", str(report["seed"])),
        ("target", view.target_host(report)),
        ("requests_sent", str(report["requests_sent"])),
        ("verdict", view.verdict(report)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for check in view.sorted_checks(report):
        area = check["id"].split("-")[1]
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"nf-conformance.{area}",
                "name": _clean(f"{check['id']} {check['title']}"),
                "time": "0",
            },
        )
        status = check["status"]
        message = check.get("message") or ""
        if status == "failed" and check.get("expected_failure"):
            entry = check["expected_failure"]
            note = f"expected failure until {entry['expires']}: {entry['reason']}"
            ET.SubElement(case, "skipped", {"message": _clean(note)})
            out = ET.SubElement(case, "system-out")
            out.text = _clean(_failure_text(report, check))
        elif status == "failed" and check["level"] != "MUST":
            out = ET.SubElement(case, "system-out")
            note = f"warning: {check['level']} requirement not met (does not fail the run)"
            out.text = _clean(f"{note}\n{_failure_text(report, check)}")
        elif status == "failed":
            failure = ET.SubElement(
                case,
                "failure",
                {"message": _clean(message or f"{check['id']} failed"), "type": check["level"]},
            )
            failure.text = _clean(_failure_text(report, check))
        elif status == "skipped":
            ET.SubElement(case, "skipped", {"message": _clean(message or "not run")})
        elif status == "warned":
            out = ET.SubElement(case, "system-out")
            out.text = _clean(f"warning: {message}")
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
