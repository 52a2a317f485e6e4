"""The path matrix as the human reports show it, from report.json's ``matrix`` alone.

report.json lists every cell of the path matrix (route x run filter x access x size x position,
see conformance/matrix.py) with how many responses fell in it, or why none did. The Markdown,
HTML and terminal reports show it as one grid (a row per route, run filter and page size, a
column per access and position) and the reasons for the cells not reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Report = Mapping[str, Any]
COLUMNS: tuple[tuple[str, str], ...] = (
    ("plain", "first"),
    ("plain", "last"),
    ("plain", "empty"),
    ("cursor", "middle"),
    ("cursor", "last"),
    ("page", "first"),
    ("page", "middle"),
    ("page", "last"),
    ("page", "past-end"),
    ("page", "empty"),
)


def cells(report: Report) -> list[Mapping[str, Any]]:
    matrix = report.get("matrix") or {}
    found: list[Mapping[str, Any]] = matrix.get("cells") or []
    return found


def summary_line(report: Report) -> str | None:
    """'path matrix: 78 of 120 cells reached' (None when the report has no matrix)."""
    matrix = report.get("matrix") or {}
    if not matrix.get("total"):
        return None
    line = f"Path matrix: {matrix['covered']} of {matrix['total']} cells reached"
    missing = matrix["total"] - matrix["covered"]
    return f"{line} ({missing} not reachable on this target: see the report)" if missing else line


def column_label(access: str, position: str) -> str:
    return f"{access} {position}"


def grid(report: Report) -> list[tuple[str, str, str, list[Mapping[str, Any] | None]]]:
    """One row per (route, run filter, size): the cell entries in :data:`COLUMNS` order."""
    rows: dict[tuple[str, str, str], dict[tuple[str, str], Mapping[str, Any]]] = {}
    for cell in cells(report):
        key = (cell["route"], cell["run_filter"], cell["size"])
        rows.setdefault(key, {})[(cell["access"], cell["position"])] = cell
    return [
        (route, run_filter, size, [found.get(column) for column in COLUMNS])
        for (route, run_filter, size), found in rows.items()
    ]


def shown(cell: Mapping[str, Any] | None) -> str:
    """A grid entry: the number of responses, or '-' for a cell not reached."""
    if cell is None:
        return ""
    return str(cell["responses"]) if cell["responses"] else "-"


def reasons(report: Report) -> list[tuple[str, list[str]]]:
    """Why cells were not reached: each reason with the cells it explains, most cells first."""
    grouped: dict[str, list[str]] = {}
    for cell in cells(report):
        if not cell["responses"]:
            label = "/".join(
                str(cell[key]) for key in ("route", "run_filter", "access", "size", "position")
            )
            grouped.setdefault(str(cell.get("reason", "")), []).append(label)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


def html_section(report: Report) -> list[str]:
    """The path matrix as an HTML section (report.html)."""
    from html import escape

    rows = grid(report)
    if not rows:
        return []
    head = "".join(f"<th>{escape(column_label(*column))}</th>" for column in COLUMNS)
    body = []
    for route, run_filter, size, found in rows:
        entries = "".join(
            f'<td class="{"hit" if entry and entry["responses"] else "miss"}" '
            f'data-label="{escape(column_label(*column))}">{escape(shown(entry))}</td>'
            for column, entry in zip(COLUMNS, found, strict=True)
        )
        body.append(  # data-label: below 700 px each row is a block of "column: value" lines
            f'<tr><td class="id" data-label="Route">{escape(route)}</td>'
            f'<td data-label="Run filter">{escape(run_filter)}</td>'
            f'<td data-label="Size">{escape(size)}</td>{entries}</tr>'
        )
    lines = [
        '<section id="matrix"><h2>Path matrix</h2>',
        f"<p>{escape(summary_line(report) or '')}. Listing responses per code path; "
        "- marks a cell the run did not reach (why, below).</p>",
        '<table id="path-matrix" class="checks"><thead><tr>'
        "<th>Route</th><th>Run filter</th><th>Size</th>"
        f"{head}</tr></thead><tbody>",
        *body,
        "</tbody></table>",
    ]
    why = reasons(report)
    if why:
        lines.append("<h3>Not reached</h3><ul>")
        lines += [
            f"<li>{escape(reason)} ({len(labels)}: {escape(', '.join(labels))})</li>"
            for reason, labels in why
        ]
        lines.append("</ul>")
    return [*lines, "</section>"]
