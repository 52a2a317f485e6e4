"""reports/bench/: bench.json (every figure) and bench.md (the same as tables), plus the
README's Benchmarks block, regenerated between its markers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeGuard

NOT_MEASURED = "not measured"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def not_measured(reason: str) -> dict[str, Any]:
    return {"status": NOT_MEASURED, "reason": reason}


def measured(entry: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """Whether ``entry`` holds a measurement (not None, not empty, not "not measured")."""
    return bool(entry) and entry is not None and entry.get("status") != NOT_MEASURED


def fmt(value: Any, unit: str = "") -> str:
    """A figure for a table cell: '—' when absent, numbers without needless digits."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(fmt(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"{text} {unit}".rstrip() if unit else text


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines


def _why(entry: dict[str, Any] | None) -> str:
    return f"Not measured: {(entry or {}).get('reason', 'no result')}."


def _targets(results: dict[str, Any]) -> list[str]:
    rows = [
        (t["target"], t.get("figure"), t["result"].upper(), t.get("note", ""))
        for t in results.get("targets", [])
    ]
    return table(["Target", "Figure", "Result", "Note"], rows)


def _runs(results: dict[str, Any]) -> list[str]:
    m = results["measurements"]
    columns = [
        ("run in-process", m.get("run_in_process")),
        ("run over HTTP (default live rate)", m.get("run_http")),
        ("run over HTTP (--rate 1000)", m.get("run_http_unpaced")),
        ("schemathesis run (anchor)", m.get("anchor")),
    ]
    lines = [
        "## 1–3. The default run: in-process, over HTTP, and the schemathesis anchor",
        "",
        "In-process and unpaced HTTP runs alternate, repeated; the repeat with the median wall "
        "time is shown. The run at the default live rate and the anchor run once.",
        "",
    ]
    present = [(name, entry) for name, entry in columns if measured(entry)]
    for name, entry in columns:
        if not measured(entry):
            lines.append(f"- {name}: {_why(entry)}")
    if present:
        fields = [
            ("wall time (s)", "wall_s"),
            ("wall time of each repeat (s)", "repeats_wall_s"),
            ("CPU time (s)", "cpu_s"),
            ("peak RSS (MiB)", "peak_rss_mib"),
            ("requests sent (its own report)", "requests_sent"),
            ("requests counted at the server", "requests_counted"),
            ("checks run", "checks_run"),
            ("hypothesis examples per mode", "max_examples"),
            ("exit code", "exit_code"),
        ]
        rows = [[label, *(entry.get(key) for _, entry in present)] for label, key in fields]
        lines += ["", *table(["", *(name for name, _ in present)], rows)]
    imports = m.get("imports_only")
    if measured(imports):
        lines += [
            "",
            f"Importing the suite alone (`python -c '{imports['code']}'`): "
            f"{fmt(imports['wall_s'])} s wall, {fmt(imports['cpu_s'])} s CPU, "
            f"{fmt(imports['peak_rss_mib'])} MiB peak RSS: a floor under every run above.",
        ]
    ratios = m.get("run_ratios") or {}
    if ratios:
        lines += ["", *(f"- {label}: {fmt(value)}" for label, value in ratios.items())]
    for name, entry in present:
        if entry.get("note"):
            lines.append(f"- {name}: {entry['note']}")
        skipped = [check["id"] for check in entry.get("skipped_checks") or []]
        if skipped:
            lines.append(f"- {name}: skipped {', '.join(skipped)}")
        by_status = entry.get("responses_by_status")
        if by_status:
            shown = ", ".join(f"{code}: {count}" for code, count in by_status.items())
            lines.append(f"- {name}: responses by status {shown}")
        by_method = entry.get("requests_by_method")
        if by_method and set(by_method) != {"GET"}:
            lines.append(f"- {name}: requests by method {by_method}")
    return [*lines, ""]


def _load(results: dict[str, Any]) -> list[str]:
    load = results["measurements"].get("load")
    lines = ["## 4. The mock over HTTP under load", ""]
    if not measured(load):
        return [*lines, _why(load), ""]
    lines.append(
        f"Generator: {load['generator']}; per level and server {load.get('repeats', 1)} runs of "
        f"{fmt(load['duration_s'])} s, alternating between the servers, the median run kept; "
        f"`GET {load['path']}` with the Authorization header, on 127.0.0.1 "
        "(generator and servers share the machine's cores)."
    )
    prism = load.get("prism")
    prism_rows = {row["concurrency"]: row for row in prism} if isinstance(prism, list) else {}
    rows = []
    for ours in load["ours"]:
        theirs = prism_rows.get(ours["concurrency"], {})
        rows.append(
            [
                ours["concurrency"],
                ours.get("requests_per_s"),
                ours.get("p50_ms"),
                ours.get("p99_ms"),
                ours.get("non_2xx_or_3xx"),
                theirs.get("requests_per_s"),
                theirs.get("p50_ms"),
                theirs.get("p99_ms"),
                theirs.get("non_2xx_or_3xx"),
                theirs.get("ratio_requests_per_s"),
            ]
        )
    header = [
        "concurrency",
        "mock req/s",
        "mock p50 ms",
        "mock p99 ms",
        "mock non-2xx",
        "Prism req/s",
        "Prism p50 ms",
        "Prism p99 ms",
        "Prism non-2xx",
        "mock/Prism req/s",
    ]
    lines += ["", *table(header, rows), ""]
    if not isinstance(prism, list):
        lines += [f"Prism: {_why(prism)}", ""]
    for note in load.get("notes", []):
        lines.append(f"- {note}")
    return [*lines, ""]


def _scale(results: dict[str, Any]) -> list[str]:
    scale = results["measurements"].get("scale")
    lines = ["## 5. Scale", "", "### Per-page latency against run size", ""]
    if not measured(scale):
        lines += [_why(scale), ""]
    else:
        lines.append(scale["method"])
        rows = [
            [
                size["containers"],
                size["samples"],
                size["p50_ms"],
                size["p99_ms"],
                size["first_page_ms"],
                size["last_page_ms"],
                size["server_peak_rss_mib"],
            ]
            for size in scale["sizes"]
        ]
        header = [
            "containers",
            "pages sampled",
            "p50 ms",
            "p99 ms",
            "first page ms (median)",
            "last page ms (median)",
            "server peak RSS MiB",
        ]
        lines += ["", *table(header, rows), ""]
        lines += [f"- {label}: {fmt(value)}" for label, value in scale.get("ratios", {}).items()]
        lines.append("")
    walk = results["measurements"].get("walk")
    lines += ["### A full walk by the suite", ""]
    if not measured(walk):
        return [*lines, _why(walk), ""]
    suite = walk.get("suite")
    if measured(suite):
        lines += [
            f"The whole suite as shipped against a mock whose latest run holds "
            f"{walk.get('suite_containers', 100_000):,} containers (`{' '.join(suite['argv'])}`): "
            f"{fmt(suite['wall_s'])} s wall, {fmt(suite['cpu_s'])} s CPU, "
            f"{fmt(suite['peak_rss_mib'])} MiB peak RSS, {fmt(suite.get('requests_counted'))} "
            f"requests, exit code {suite['exit_code']}.",
        ]
        skipped = suite.get("skipped_walk_checks") or []
        if skipped:
            lines += ["Walk checks it skipped:", "", *(f"- {item}" for item in skipped)]
        lines.append("")
    else:
        lines += [f"The whole suite against a large run: {_why(suite)}", ""]
    lines.append(walk["method"])
    rows = [
        [
            row["containers"],
            row["requests"],
            row["pages"],
            row["unique_names"],
            row["wall_s"],
            row["cpu_s"],
            row["peak_rss_mib"],
            row.get("exchanges_kept"),
        ]
        for row in walk["runs"]
    ]
    header = [
        "containers",
        "requests",
        "pages",
        "unique names",
        "wall s",
        "CPU s",
        "walker peak RSS MiB",
        "exchanges kept",
    ]
    lines += ["", *table(header, rows), ""]
    lines += [f"- {note}" for note in walk.get("notes", [])]
    return [*lines, ""]


def _parallel(results: dict[str, Any]) -> list[str]:
    entry = results["measurements"].get("parallel")
    lines = ["## Parallelism", ""]
    if not measured(entry):
        return [*lines, _why(entry), ""]
    rows = [[r["mode"], r["wall_s"], r["requests_sent"], r["exit_code"]] for r in entry["runs"]]
    lines += table(["mode", "wall s", "requests", "exit code"], rows)
    return [*lines, "", *(f"- {note}" for note in entry.get("notes", [])), ""]


def _loads(values: Sequence[float] | None) -> str:
    return "/".join(f"{value:g}" for value in values) if values else "?"


def render_markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    versions = results["versions"]
    lines = [
        "# Benchmark",
        "",
        f"Produced by `{results['command']}` on {results['date']}: {machine['cpu_count']} CPUs, "
        f"{machine['platform']} ({machine.get('processor', '?')}); load average (1/5/15 min) "
        f"{_loads(machine.get('load_average_before'))} before, "
        f"{_loads(machine.get('load_average_after'))} after. Figures come from one bench run on "
        "a shared machine: compare the ratios, which are measured side by side.",
        "",
        *table(["Component", "Version"], sorted(versions.items())),
        "",
        "## Targets",
        "",
        *_targets(results),
        "",
        *_runs(results),
        *_load(results),
        *_scale(results),
        *_parallel(results),
    ]
    notes = results.get("notes", [])
    if notes:
        lines += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def readme_block(results: dict[str, Any]) -> str:
    """The README's Benchmarks block: the targets table and the command that produced it."""
    machine = results["machine"]
    lines = [
        README_START,
        f"Latest figures (`{results['command']}`, {results['date'][:10]}, "
        f"{machine['cpu_count']} CPUs; full tables in `reports/bench/bench.md`):",
        "",
        *_targets(results),
        README_END,
    ]
    return "\n".join(lines)


def update_readme(path: Path, results: dict[str, Any]) -> bool:
    """Replace the block between the bench markers; False (untouched) when they are absent."""
    text = path.read_text(encoding="utf-8")
    start = text.find(README_START)
    end = text.find(README_END)
    if start < 0 or end < start:
        return False
    new = text[:start] + readme_block(results) + text[end + len(README_END) :]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return True


def write(results: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "bench.json"
    md_path = out_dir / "bench.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(results), encoding="utf-8")
    return json_path, md_path
