"""report.md: the run for a maintainer or a PR, made from the report.json dict only.

Header (verdict, counts, coverage, target host, ids, versions, seed, timing), then the failures
with expected/received, evidence and reproduce lines, then one section per requirement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conformance.report import bodies, matrix, recorded, view
from conformance.report.formats import report_format


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, one line."""
    value = " ".join(str(text).split())
    return value.replace("\\", "\\\\").replace("|", "\\|") or " "


def code(text: Any) -> str:
    """Inline code that survives backticks in the value."""
    value = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or longest else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def block(text: str, lang: str = "") -> list[str]:
    """A fenced block longer than any backtick run inside, so the content cannot close it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return [f"{fence}{lang}", *text.rstrip("\n").splitlines(), fence]


def quote(text: str) -> list[str]:
    return ["> " + line if line else ">" for line in text.splitlines() or [""]]


def plain(text: Any) -> str:
    """Free text outside code: neutralise Markdown/HTML that could change the page structure."""
    value = str(text).replace("\\", "\\\\")
    value = re.sub(r"([`*_\[\]<>#|])", r"\\\1", value)
    return value


def header(report: view.Report) -> list[str]:
    summary = report["summary"]
    ids = view.target_ids(report)
    lines = [
        "# Conformance report: List job containers",
        "",
        f"**{view.verdict_line(report)}** (exit code {view.exit_code(report)})",
        "",
        "| Outcome | Checks |",
        "| --- | ---: |",
        *(f"| {status} | {summary[status]} |" for status in view.STATUSES),
        "",
        f"- Requirement coverage: {view.coverage(report).describe()}",
        f"- Target: {code(view.target_host(report))}",
        "- Ids: " + (", ".join(f"{key} {code(value)}" for key, value in ids.items()) or "none"),
        f"- Suite: {code(report['tool']['name'] + ' ' + report['tool']['version'])}",
        f"- Spec: {code(report['spec']['path'])} sha256 {code(report['spec']['sha256'])}",
        f"- Seed: {code(report['seed'])}",
        f"- Started: {report['started_at']}; duration {report['duration_s']:.1f} s",
        f"- Requests sent: {report['requests_sent']}",
    ]
    transport = view.transport_line(report)
    if transport:
        lines.append(f"- Transport: {plain(transport)}")
    for name, line in (
        ("Recording", recorded.recording_line(report)),
        ("HAR", recorded.har_line(report)),
    ):
        if line:
            lines.append(f"- {name}: {plain(line)}")
    return lines


def evidence_lines(report: view.Report, check: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    items = view.evidence_items(report, check)
    for number, item in enumerate(items, start=1):
        label = f"Evidence {number}" if len(items) > 1 else "Evidence"
        if item.request:
            lines.append(f"- {label}: {code(item.request)} (credential: {plain(item.credential)})")
        elif item.note:
            lines.append(f"- {label}: {plain(item.note)}")
        if item.status is not None:
            lines.append(f"  - Response: {item.status} {code(item.content_type)}")
        if item.body:
            body = bodies.readable(item.body)
            fenced = block(body.text, "json" if body.is_json else "")
            lines += ["", *("  " + line for line in fenced)]
        if item.error:
            lines.append(f"  - Error: {plain(item.error)}")
        if item.har is not None:
            jq = f" {code(item.har.jq)}" if item.har.jq else ""
            lines.append(f"  - Exchange: {har_link(item.har)}: {plain(item.har.describe())}{jq}")
    return lines


def har_link(entry: view.HarEntry) -> str:
    return f"[{entry.label}](<{entry.href}>)" if entry.href else entry.label


def failure_section(report: view.Report, check: Mapping[str, Any]) -> list[str]:
    index = view.requirement_index(report)
    lines = [
        f"### {check['id']} {plain(check['title'])}",
        "",
        f"Level {check['level']}; requirements "
        + ", ".join(f"[{r}](#{r.lower()})" if r in index else r for r in check["requirements"]),
        "",
    ]
    if check.get("expected_failure"):
        entry = check["expected_failure"]
        link = f" ({plain(entry['link'])})" if entry.get("link") else ""
        lines += [
            f"Expected failure until {entry['expires']}: {plain(entry['reason'])}{link}",
            "",
        ]
    for label, text, as_code in view.outcome_rows(check):
        lines.append(f"- {label}: {code(text) if as_code else plain(text)}")
    lines += evidence_lines(report, check)
    reproduce = view.reproduce_commands(report, check)
    if replay := recorded.recorded_replay_line(report, check["id"]):
        reproduce.append(replay)
    lines += ["", "Reproduce:", "", *block("\n".join(reproduce), "sh"), ""]
    return lines


def requirement_section(
    report: view.Report, requirement: Mapping[str, Any], checks: list[Mapping[str, Any]]
) -> list[str]:
    lines = [
        f"### {requirement['id']}",
        "",
        f"{requirement['level']}, {requirement['source']}: {plain(requirement['ref'])}",
        "",
        *quote(plain(requirement["quote"])),
        "",
    ]
    if checks:
        lines += ["| Check | Title | Level | Outcome |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {c['id']} | {cell(c['title'])} | {c['level']} | {view.outcome(c)} |" for c in checks
        ]
    else:
        lines.append("No check covers this requirement in this run.")
    return [*lines, ""]


def matrix_section(report: view.Report) -> list[str]:
    """The path matrix: responses per cell (a row per route, filter and size), and why not."""
    rows = matrix.grid(report)
    if not rows:
        return []
    columns = [matrix.column_label(*column) for column in matrix.COLUMNS]
    lines = [
        "## Path matrix",
        "",
        f"{plain(matrix.summary_line(report))}. Listing responses per code path; "
        "- marks a cell the run did not reach (why, below).",
        "",
        "| Route | Run filter | Size | " + " | ".join(columns) + " |",
        "| --- | --- | --- |" + " --- |" * len(columns),
    ]
    for route, run_filter, size, found in rows:
        entries = " | ".join(matrix.shown(entry) for entry in found)
        lines.append(f"| {route} | {run_filter} | {size} | {entries} |")
    reasons = matrix.reasons(report)
    if reasons:
        lines += ["", "Not reached:", ""]
        for reason, labels in reasons:
            lines.append(f"- {plain(reason)} ({len(labels)}: {', '.join(labels)})")
    return [*lines, ""]


@report_format(kind="markdown", filename="report.md")
def render(report: view.Report) -> str:
    """The report.md text for a report.json dict."""
    lines = [*header(report), ""]
    stale = report.get("stale_entries") or []
    if stale:
        lines += ["## Stale expected-failure entries", ""]
        lines += [f"- {plain(problem)}" for problem in stale]
        lines.append("")
    failed = view.with_status(report, "failed")
    if failed:
        lines += ["## Failures", ""]
        for check in failed:
            lines += failure_section(report, check)
    for status, heading in (("warned", "Warnings"), ("skipped", "Skipped checks")):
        checks = view.with_status(report, status)
        if checks:
            lines += [f"## {heading}", "", "| Check | Title | Reason |", "| --- | --- | --- |"]
            lines += [f"| {c['id']} | {cell(c['title'])} | {cell(c['message'])} |" for c in checks]
            lines.append("")
    lines += matrix_section(report)
    lines += ["## Requirements", ""]
    by_requirement = view.checks_by_requirement(report)
    catalog = report.get("requirements") or []
    for requirement in catalog:
        lines += requirement_section(report, requirement, by_requirement.get(requirement["id"], []))
    known = {r["id"] for r in catalog}
    orphans = sorted(set(by_requirement) - known)
    if orphans:
        lines += ["### Requirements missing from the catalog", ""]
        lines += [f"- {r}: " + ", ".join(c["id"] for c in by_requirement[r]) for r in orphans]
        lines.append("")
    lines += [
        "## All checks",
        "",
        "| Check | Title | Level | Requirements | Outcome |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {c['id']} | {cell(c['title'])} | {c['level']} | {', '.join(c['requirements'])} | "
        f"{view.outcome(c)} |"
        for c in view.sorted_checks(report)
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
