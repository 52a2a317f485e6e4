"""The issue's targets, judged from the figures: met, missed, or not measured, never guessed."""

from __future__ import annotations

from typing import Any

from conformance.bench.report import NOT_MEASURED, measured

MAX_IN_PROCESS_WALL_S = 15.0
MAX_LIVE_REQUESTS = 150
MIN_THROUGHPUT_RATIO = 2.0
MAX_SCALE_LATENCY_RATIO = 1.5
# Memory a walk may add going from a small run to a large one, as a multiple of the size of the
# set of container names (the duplicate check's set): 2x leaves room for allocator slack.
WALK_MEMORY_ALLOWANCE = 2.0


def _target(target: str, figure: str | None, ok: bool | None, note: str = "") -> dict[str, Any]:
    result = NOT_MEASURED if ok is None else "met" if ok else "missed"
    return {"target": target, "figure": figure, "result": result, "note": note}


def _not_measured(target: str, entry: dict[str, Any] | None) -> dict[str, Any]:
    return _target(target, None, None, (entry or {}).get("reason", ""))


def in_process_wall(entry: dict[str, Any] | None) -> dict[str, Any]:
    name = f"Default run, in-process mock: < {MAX_IN_PROCESS_WALL_S:g} s wall"
    if not measured(entry):
        return _not_measured(name, entry)
    wall = entry["wall_s"]
    note = f"CPU {entry['cpu_s']:.2f} s" if entry.get("cpu_s") is not None else ""
    if entry.get("exit_code") != 0:
        note += f"; the run exited {entry.get('exit_code')}"
    return _target(name, f"{wall:.2f} s", wall < MAX_IN_PROCESS_WALL_S, note)


def live_requests(entry: dict[str, Any] | None) -> dict[str, Any]:
    name = f"Default live run (--base-url): <= {MAX_LIVE_REQUESTS} requests"
    if not measured(entry):
        return _not_measured(name, entry)
    counted = entry.get("requests_counted")
    reported = entry.get("requests_sent")
    count = counted if counted is not None else reported
    if count is None:
        return _target(name, None, None, "neither the server nor the report gave a count")
    source = "counted at the server" if counted is not None else "from report.json"
    note = source
    if counted is not None and reported is not None and counted != reported:
        note += f"; report.json says {reported}"
    return _target(name, f"{count} requests", count <= MAX_LIVE_REQUESTS, note)


def throughput(load: dict[str, Any] | None) -> dict[str, Any]:
    name = f"Mock throughput >= {MIN_THROUGHPUT_RATIO:g}x Prism's"
    if not measured(load):
        return _not_measured(name, load)
    prism = load.get("prism")
    if not isinstance(prism, list):
        return _target(name, None, None, (prism or {}).get("reason", "Prism not measured"))
    ratios = [(row["concurrency"], row.get("ratio_requests_per_s")) for row in prism]
    if any(value is None for _, value in ratios):
        return _target(name, None, None, "a level has no ratio (a run produced no requests)")
    figure = ", ".join(f"{value:.2f}x at c={level}" for level, value in ratios)
    worst = min(value for _, value in ratios if value is not None)
    return _target(name, figure, worst >= MIN_THROUGHPUT_RATIO, "every level must reach it")


def scale_latency(scale: dict[str, Any] | None) -> dict[str, Any]:
    name = f"Per-page latency at 1M containers within {MAX_SCALE_LATENCY_RATIO:g}x of 1k (p50)"
    if not measured(scale):
        return _not_measured(name, scale)
    ratios = scale.get("ratios", {})
    p50 = ratios.get("p50 1M / 1k")
    if p50 is None:
        return _target(name, None, None, "1k or 1M was not measured")
    note = f"p99 ratio {ratios.get('p99 1M / 1k')}"
    return _target(name, f"{p50:.2f}x", p50 <= MAX_SCALE_LATENCY_RATIO, note)


def walk_memory(walk: dict[str, Any] | None) -> dict[str, Any]:
    name = (
        "A full walk's memory grows (1k -> 100k containers) by at most "
        f"{WALK_MEMORY_ALLOWANCE:g}x the set of names"
    )
    if not measured(walk):
        return _not_measured(name, walk)
    runs = {row["containers"]: row for row in walk["runs"]}
    small, large = runs.get(1_000), runs.get(100_000)
    if small is None or large is None:
        return _target(name, None, None, "the 1k or the 100k walk did not run")
    for row in (small, large):
        if row.get("unique_names") != row["containers"]:
            seen = row.get("unique_names")
            return _target(name, None, None, f"the {row['containers']:,} walk saw {seen} names")
    growth = large["peak_rss_mib"] - small["peak_rss_mib"]
    allowance = WALK_MEMORY_ALLOWANCE * large["names_set_mib"]
    figure = f"+{growth:.1f} MiB (names set {large['names_set_mib']:.1f} MiB)"
    note = "" if large.get("complete") else "the 100k walk did not reach the last page"
    return _target(name, figure, growth <= allowance, note)


def judge(measurements: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        in_process_wall(measurements.get("run_in_process")),
        live_requests(measurements.get("run_http")),
        throughput(measurements.get("load")),
        scale_latency(measurements.get("scale")),
        walk_memory(measurements.get("walk")),
    ]
