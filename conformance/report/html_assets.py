"""The inline stylesheet and script of report.html (nothing else is ever loaded).

The page fits any width without horizontal scrolling, from a 390 px phone up: long URLs,
hashes and bodies wrap (``overflow-wrap: anywhere``), and below 700 px the check tables become
one block per check, each cell under its column name (``data-label``). A body longer than a few
KB shows its first lines and a "show all" (``<details>``); printing opens every one.
"""

from __future__ import annotations

STYLE = """
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --skip: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1.5rem; color: #1f2328; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { margin: 1.2rem 0 .3rem; font-size: 1.05rem; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
            overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: .6rem; margin: .3rem 0;
      overflow-x: auto; white-space: pre-wrap; max-width: 100%; }
table { border-collapse: collapse; margin: .4rem 0 1rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
td.id { white-space: nowrap; overflow-wrap: normal; }
table.counts { width: auto; }
table.counts td { text-align: right; min-width: 4rem; }
blockquote { margin: .3rem 0; padding: .2rem .8rem; border-left: 4px solid var(--line);
             color: #424a53; }
.verdict { font-size: 1.2rem; font-weight: 600; padding: .5rem .8rem; border-radius: 6px; }
.verdict.ok { background: #dafbe1; color: var(--ok); }
.verdict.bad { background: #ffebe9; color: var(--bad); }
.status { font-weight: 600; }
.status-passed { color: var(--ok); } .status-failed { color: var(--bad); }
.status-warned { color: var(--warn); } .status-skipped { color: var(--skip); }
.filters { position: sticky; top: 0; background: #fff; padding: .5rem 0;
           border-bottom: 1px solid var(--line); z-index: 1; }
.filters label { margin-right: 1rem; white-space: nowrap; }
article.check { border: 1px solid var(--line); border-left: 4px solid var(--bad);
                padding: .2rem .8rem .6rem; margin: .8rem 0; }
article.check.soft { border-left-color: var(--warn); }
.status-failed.soft { color: var(--warn); }
dl.outcome { display: grid; grid-template-columns: max-content minmax(0, 1fr);
             gap: .2rem .8rem; margin: .4rem 0; }
dl.outcome dt { font-weight: 600; }
dl.outcome dd { margin: 0; min-width: 0; }
.evidence { margin: .6rem 0; }
.evidence p { margin: .3rem 0; }
.body details summary { cursor: pointer; color: #0969da; }
.body:has(> details[open]) > pre.preview { display: none; }
.har { color: #424a53; }
.facts { padding-left: 1.2rem; }
[hidden] { display: none !important; }
@media (max-width: 700px) {
  body { padding: .75rem; }
  h1 { font-size: 1.3rem; }
  article.check { padding: .2rem .5rem .5rem; }
  dl.outcome { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.outcome dd { margin-bottom: .3rem; }
  table.checks, table.checks tbody, table.checks tr, table.checks td { display: block; }
  table.checks thead { display: none; }
  table.checks tr { border: 1px solid var(--line); margin: .5rem 0; padding: .2rem .4rem; }
  table.checks td { border: 0; padding: .1rem 0; }
  table.checks td.id { white-space: normal; font-weight: 600; }
  table.checks td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  table.checks td:empty { display: none; }
}
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
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".body details").forEach(function (d) { d.open = true; });
  });
  apply();
})();
"""
