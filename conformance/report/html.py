"""report.html: one self-contained page made from the report.json dict only.

Inline CSS and JS and nothing else: no external stylesheet, script, font or image, and a
Content-Security-Policy that forbids fetching any. Printable (@media print) and filterable by
outcome with checkboxes and a few lines of inline JS, no server needed. Every value from the
report goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from conformance.report import bodies, matrix, recorded, view
from conformance.report.formats import report_format
from conformance.report.html_assets import SCRIPT, STYLE

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def anchor(identifier: str) -> str:
    return identifier.lower()


def status_span(check: Mapping[str, Any]) -> str:
    soft = " soft" if check["status"] == "failed" and not view.is_blocking(check) else ""
    return f'<span class="status status-{e(check["status"])}{soft}">{e(view.outcome(check))}</span>'


def header(report: view.Report) -> list[str]:
    summary = report["summary"]
    ok = view.exit_code(report) == 0
    ids = view.target_ids(report)
    facts = [
        ("Requirement coverage", e(view.coverage(report).describe())),
        ("Target", f"<code>{e(view.target_host(report))}</code>"),
        ("Ids", ", ".join(f"{e(k)} <code>{e(v)}</code>" for k, v in ids.items()) or "none"),
        ("Suite", f"<code>{e(report['tool']['name'])} {e(report['tool']['version'])}</code>"),
        (
            "Spec",
            f"<code>{e(report['spec']['path'])}</code> sha256 "
            f'<code class="sha">{e(report["spec"]["sha256"])}</code>',
        ),
        ("Seed", f'<code class="seed">{e(report["seed"])}</code>'),
        ("Started", f'<span class="started">{e(report["started_at"])}</span>'),
        ("Duration", f'<span class="duration">{report["duration_s"]:.1f}</span> s'),
        ("Requests sent", f'<span class="requests">{e(report["requests_sent"])}</span>'),
    ]
    transport = view.transport_line(report)
    if transport:
        facts.append(("Transport", e(transport)))
    for name, line in (
        ("Recording", recorded.recording_line(report)),
        ("HAR", recorded.har_line(report)),
    ):
        if line:
            facts.append((name, e(line)))
    rows = "".join(
        f'<tr><th scope="row">{e(s)}</th><td class="count" data-count="{e(s)}">'
        f"{e(summary[s])}</td></tr>"
        for s in view.STATUSES
    )
    return [
        "<header>",
        "<h1>Conformance report: List job containers</h1>",
        f'<p class="verdict {"ok" if ok else "bad"}" data-exit-code="{view.exit_code(report)}">'
        f"{e(view.verdict_line(report))}</p>",
        f'<table class="counts"><tbody>{rows}</tbody></table>',
        '<ul class="facts">',
        *(f"<li><strong>{label}:</strong> {value}</li>" for label, value in facts),
        "</ul>",
        "</header>",
    ]


def filters(report: view.Report) -> list[str]:
    boxes = "".join(
        f'<label><input type="checkbox" value="{s}" checked> {s} '
        f"({e(report['summary'][s])})</label>"
        for s in view.STATUSES
    )
    return [
        '<nav class="filters" aria-label="Filter by outcome">',
        f'<strong>Show:</strong> {boxes}<span id="shown"></span>',
        "</nav>",
    ]


def body_html(text: str) -> list[str]:
    """A response body: JSON indented; past a few KB, its first lines and a "show all"."""
    body = bodies.readable(text)
    kind = ' class="json"' if body.is_json else ""
    if body.preview is None:
        return [f"<pre{kind}>{e(body.text)}</pre>"]
    return [
        '<div class="body">',
        f'<pre class="preview">{e(body.preview)}</pre>',
        f"<details><summary>Show all {body.line_count} lines ({e(body.size)})</summary>",
        f"<pre{kind}>{e(body.text)}</pre></details>",
        "</div>",
    ]


def har_html(entry: view.HarEntry) -> str:
    label = e(entry.label)
    link = f'<a href="{e(entry.href)}">{label}</a>' if entry.href else label
    jq = f" <code>{e(entry.jq)}</code>" if entry.jq else ""
    return f'<p class="har"><strong>Exchange:</strong> {link}: {e(entry.describe())}{jq}</p>'


def evidence_html(report: view.Report, check: Mapping[str, Any]) -> list[str]:
    parts: list[str] = []
    items = view.evidence_items(report, check)
    for number, item in enumerate(items, start=1):
        parts.append('<div class="evidence">')
        if len(items) > 1:
            parts.append(f"<p><strong>Evidence {number} of {len(items)}</strong></p>")
        if item.request:
            parts.append(
                f"<p><strong>Request:</strong> <code>{e(item.request)}</code> "
                f"(credential: {e(item.credential)})</p>"
            )
        elif item.note:
            parts.append(f"<p>{e(item.note)}</p>")
        if item.status is not None:
            parts.append(
                f"<p><strong>Response:</strong> {e(item.status)} "
                f"<code>{e(item.content_type)}</code></p>"
            )
        if item.body:
            parts += body_html(item.body)
        if item.error:
            parts.append(f"<p><strong>Error:</strong> {e(item.error)}</p>")
        if item.har is not None:
            parts.append(har_html(item.har))
        parts.append("</div>")
    return parts


def outcome_html(check: Mapping[str, Any]) -> list[str]:
    """Expected and received, each once; the message only when it says something more."""
    rows = [
        (label, f"<code>{e(text)}</code>" if as_code else e(text))
        for label, text, as_code in view.outcome_rows(check)
    ]
    if not rows:
        return []
    return [
        '<dl class="outcome">',
        *(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows),
        "</dl>",
    ]


def failure_article(report: view.Report, check: Mapping[str, Any]) -> list[str]:
    index = view.requirement_index(report)
    requirements = ", ".join(
        f'<a href="#{e(anchor(r))}">{e(r)}</a>' if r in index else e(r)
        for r in check["requirements"]
    )
    parts = [
        f'<article class="check{"" if view.is_blocking(check) else " soft"}" '
        f'id="{e(anchor(check["id"]))}" data-status="failed">',
        f"<h3>{e(check['id'])} {e(check['title'])}</h3>",
        f"<p>{status_span(check)} · level {e(check['level'])} · requirements {requirements}</p>",
    ]
    if check.get("expected_failure"):
        entry = check["expected_failure"]
        link = f" (<code>{e(entry['link'])}</code>)" if entry.get("link") else ""
        parts.append(
            f"<p><strong>Expected failure</strong> until {e(entry['expires'])}: "
            f"{e(entry['reason'])}{link}</p>"
        )
    parts += outcome_html(check)
    parts += evidence_html(report, check)
    reproduce = view.reproduce_commands(report, check)
    if replay := recorded.recorded_replay_line(report, check["id"]):
        reproduce.append(replay)
    parts += [
        "<p><strong>Reproduce:</strong></p>",
        f'<pre class="reproduce">{e(chr(10).join(reproduce))}</pre>',
        "</article>",
    ]
    return parts


def row_message(check: Mapping[str, Any]) -> str:
    """A failure's expected and received are in its article: the row links there instead."""
    if check["status"] != "failed":
        return e(check.get("message") or "")
    message = view.failure_message(check)
    details = f'<a href="#{e(anchor(check["id"]))}">expected and received</a>'
    return f"{e(message)}; {details}" if message else details


def check_rows(checks: Iterable[Mapping[str, Any]], *, requirements: bool = False) -> list[str]:
    rows = []
    for check in checks:
        extra = (
            f'<td data-label="Requirements">{e(", ".join(check["requirements"]))}</td>'
            if requirements
            else ""
        )
        link = (
            f'<a href="#{e(anchor(check["id"]))}">{e(check["id"])}</a>'
            if check["status"] == "failed"
            else e(check["id"])
        )
        rows.append(
            f'<tr data-status="{e(check["status"])}"><td class="id">{link}</td>'
            f'<td data-label="Title">{e(check["title"])}</td>'
            f'<td data-label="Level">{e(check["level"])}</td>{extra}'
            f'<td data-label="Outcome">{status_span(check)}</td>'
            f'<td data-label="Message">{row_message(check)}</td></tr>'
        )
    return rows


def requirement_article(
    requirement: Mapping[str, Any], checks: list[Mapping[str, Any]]
) -> list[str]:
    statuses = " ".join(sorted({c["status"] for c in checks}))
    parts = [
        f'<article class="requirement" id="{e(anchor(requirement["id"]))}"'
        + (f' data-statuses="{e(statuses)}">' if statuses else ">"),
        f"<h3>{e(requirement['id'])}</h3>",
        f"<p>{e(requirement['level'])}, {e(requirement['source'])}: {e(requirement['ref'])}</p>",
        f"<blockquote>{e(requirement['quote'])}</blockquote>",
    ]
    if checks:
        parts += [
            '<table class="checks"><thead><tr><th>Check</th><th>Title</th><th>Level</th>'
            "<th>Outcome</th>"
            "<th>Message</th></tr></thead><tbody>",
            *check_rows(checks),
            "</tbody></table>",
        ]
    else:
        parts.append("<p>No check covers this requirement in this run.</p>")
    return [*parts, "</article>"]


@report_format(kind="html", filename="report.html")
def render(report: view.Report) -> str:
    """The report.html text for a report.json dict."""
    body = [*header(report), *filters(report)]
    stale = report.get("stale_entries") or []
    if stale:
        body += ['<section id="stale"><h2>Stale expected-failure entries</h2><ul>']
        body += [f"<li>{e(problem)}</li>" for problem in stale]
        body += ["</ul></section>"]
    failed = view.with_status(report, "failed")
    if failed:
        body.append('<section id="failures"><h2>Failures</h2>')
        for check in failed:
            body += failure_article(report, check)
        body.append("</section>")
    body += matrix.html_section(report)
    body.append('<section id="requirements"><h2>Requirements</h2>')
    by_requirement = view.checks_by_requirement(report)
    catalog = report.get("requirements") or []
    for requirement in catalog:
        body += requirement_article(requirement, by_requirement.get(requirement["id"], []))
    orphans = sorted(set(by_requirement) - {r["id"] for r in catalog})
    if orphans:
        body.append("<h3>Requirements missing from the catalog</h3><ul>")
        body += [
            f"<li>{e(r)}: {e(', '.join(c['id'] for c in by_requirement[r]))}</li>" for r in orphans
        ]
        body.append("</ul>")
    body += [
        "</section>",
        '<section id="checks"><h2>All checks</h2>',
        '<table id="all-checks" class="checks"><thead><tr><th>Check</th><th>Title</th>'
        "<th>Level</th><th>Requirements</th><th>Outcome</th><th>Message</th></tr></thead><tbody>",
        *check_rows(view.sorted_checks(report), requirements=True),
        "</tbody></table></section>",
    ]
    title = f"Conformance report: {view.verdict(report)}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            f"<script>{SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
