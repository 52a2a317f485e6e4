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

from conformance.report import matrix, view

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

STYLE = """
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --skip: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1.5rem; color: #1f2328; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { margin: 1.2rem 0 .3rem; font-size: 1.05rem; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: .6rem; overflow-x: auto;
      white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: .4rem 0 1rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
         vertical-align: top; }
table.counts { width: auto; }
table.counts td { text-align: right; min-width: 4rem; }
blockquote { margin: .3rem 0; padding: .2rem .8rem; border-left: 4px solid var(--line);
             color: #424a53; }
.verdict { font-size: 1.2rem; font-weight: 600; padding: .5rem .8rem; border-radius: 6px; }
.verdict.ok { background: #dafbe1; color: var(--ok); }
.verdict.bad { background: #ffebe9; color: var(--bad); }
.status { font-weight: 600; white-space: nowrap; }
.status-passed { color: var(--ok); } .status-failed { color: var(--bad); }
.status-warned { color: var(--warn); } .status-skipped { color: var(--skip); }
.filters { position: sticky; top: 0; background: #fff; padding: .5rem 0;
           border-bottom: 1px solid var(--line); z-index: 1; }
.filters label { margin-right: 1rem; white-space: nowrap; }
article.check { border: 1px solid var(--line); border-left: 4px solid var(--bad);
                padding: .2rem .8rem .6rem; margin: .8rem 0; }
article.check.soft { border-left-color: var(--warn); }
.status-failed.soft { color: var(--warn); }
.facts { padding-left: 1.2rem; }
[hidden] { display: none !important; }
@media print {
  .filters { display: none; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  article, tr, blockquote, pre { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .verdict { border: 1px solid currentColor; }
}
"""

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".filters input"));
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    document.querySelectorAll("[data-status]").forEach(function (el) {
      el.hidden = !on[el.getAttribute("data-status")];
    });
    document.querySelectorAll("[data-statuses]").forEach(function (el) {
      var any = el.getAttribute("data-statuses").split(" ").some(function (s) { return on[s]; });
      el.hidden = !any;
    });
    var rows = document.querySelectorAll("#all-checks tr[data-status]");
    var shown = Array.prototype.filter.call(rows, function (row) { return !row.hidden; });
    document.getElementById("shown").textContent =
      "Showing " + shown.length + " of " + rows.length + " checks";
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  apply();
})();
"""


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


def evidence_html(report: view.Report, check: Mapping[str, Any]) -> list[str]:
    parts: list[str] = []
    for evidence in check.get("evidence") or []:
        request = evidence.get("request") or {}
        response = evidence.get("response") or {}
        if request:
            credential = request.get("credential") or "-"
            parts.append(
                f"<p><strong>Request:</strong> <code>{e(request.get('method', 'GET'))} "
                f"{e(request['url'])}</code> (credential: {e(credential)})</p>"
            )
        elif evidence.get("note"):
            parts.append(f"<p>{e(evidence['note'])}</p>")
        if response:
            parts.append(
                f"<p><strong>Response:</strong> {e(response.get('status'))} "
                f"<code>{e(response.get('content_type') or 'no content type')}</code></p>"
            )
            if response.get("body"):
                parts.append(f"<pre>{e(response['body'])}</pre>")
        if evidence.get("error"):
            parts.append(f"<p><strong>Error:</strong> {e(evidence['error'])}</p>")
    return parts


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
    if check.get("expected") is not None:
        parts.append(f"<p><strong>Expected:</strong> <code>{e(check['expected'])}</code></p>")
    if check.get("received") is not None:
        parts.append(f"<p><strong>Received:</strong> <code>{e(check['received'])}</code></p>")
    if check.get("message"):
        parts.append(f"<p><strong>Message:</strong> {e(check['message'])}</p>")
    parts += evidence_html(report, check)
    reproduce = [c for c in (view.curl_command(report, x) for x in check["evidence"]) if c][:1]
    reproduce.append(view.run_command(report, check["id"]))
    parts += [
        "<p><strong>Reproduce:</strong></p>",
        f'<pre class="reproduce">{e(chr(10).join(reproduce))}</pre>',
        "</article>",
    ]
    return parts


def check_rows(checks: Iterable[Mapping[str, Any]], *, requirements: bool = False) -> list[str]:
    rows = []
    for check in checks:
        extra = f"<td>{e(', '.join(check['requirements']))}</td>" if requirements else ""
        link = (
            f'<a href="#{e(anchor(check["id"]))}">{e(check["id"])}</a>'
            if check["status"] == "failed"
            else e(check["id"])
        )
        rows.append(
            f'<tr data-status="{e(check["status"])}"><td>{link}</td><td>{e(check["title"])}</td>'
            f"<td>{e(check['level'])}</td>{extra}<td>{status_span(check)}</td>"
            f"<td>{e(check.get('message') or '')}</td></tr>"
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
            "<table><thead><tr><th>Check</th><th>Title</th><th>Level</th><th>Outcome</th>"
            "<th>Message</th></tr></thead><tbody>",
            *check_rows(checks),
            "</tbody></table>",
        ]
    else:
        parts.append("<p>No check covers this requirement in this run.</p>")
    return [*parts, "</article>"]


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
        '<table id="all-checks"><thead><tr><th>Check</th><th>Title</th><th>Level</th>'
        "<th>Requirements</th><th>Outcome</th><th>Message</th></tr></thead><tbody>",
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
