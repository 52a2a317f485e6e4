"""``python -m conformance.bench``: every measurement of issue 7, then reports/bench/.

Each measurement runs on its own; one that cannot run (a missing tool, a piece of the suite
not built yet, an error) is reported as "not measured: <why>", never as a figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from conformance.bench import load, long_walk, meta, parallel, report, runs, scale, targets, wrk
from conformance.bench.servers import prism_version

MEASUREMENTS = ("runs", "load", "scale", "walk", "parallel")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m conformance.bench", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/bench"))
    parser.add_argument(
        "--readme", type=Path, default=None, help="rewrite the Benchmarks block of this README"
    )
    parser.add_argument("--wrk", default=shutil.which("wrk"), help="wrk executable")
    parser.add_argument("--wrk-missing", default="wrk is not installed", help="why, if absent")
    parser.add_argument(
        "--prism",
        default=os.environ.get("NF_BENCH_PRISM") or shutil.which("prism"),
        help="prism executable (@stoplight/prism-cli)",
    )
    parser.add_argument("--prism-missing", default="Prism is not installed", help="why, if absent")
    parser.add_argument("--command", default="python -m conformance.bench", help="as recorded")
    parser.add_argument("--only", nargs="*", choices=MEASUREMENTS, default=list(MEASUREMENTS))
    parser.add_argument("--load-seconds", type=float, default=3.0)
    parser.add_argument("--load-repeats", type=int, default=3)
    parser.add_argument("--scale-samples", type=int, default=300)
    parser.add_argument("--run-repeats", type=int, default=3, help="of the fast runs")
    return parser


def _guarded(name: str, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one measurement; an error becomes "not measured" with its message."""
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        result = step()
    except Exception as error:  # any failure is reported, not hidden
        traceback.print_exc(file=sys.stderr)
        result = report.not_measured(f"{type(error).__name__}: {error}"[:500])
    print(f"bench: {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    skipped = report.not_measured("not selected (--only)")
    load_before = meta.load_average()
    tools = {
        "wrk": wrk.wrk_version(args.wrk) if args.wrk else f"absent: {args.wrk_missing}",
        "prism": prism_version(args.prism) if args.prism else f"absent: {args.prism_missing}",
    }
    node = shutil.which("node")
    if args.prism and node:
        tools["node"] = meta.node_version(node)
    m: dict[str, Any] = {}
    if "runs" in args.only:
        # In-process and unpaced HTTP runs alternate, so background load falls on both alike.
        in_process, unpaced = [], []
        for _ in range(args.run_repeats):
            in_process.append(_guarded("default run, in-process", runs.in_process))
            unpaced.append(_guarded("run over HTTP, unpaced", runs.over_http_unpaced))
        m["imports_only"] = _guarded("imports only", runs.imports_only)
        m["run_in_process"] = runs.median_entry(in_process)
        m["run_http_unpaced"] = runs.median_entry(unpaced)
        m["run_http"] = _guarded("default run over HTTP", runs.over_http)
        m["anchor"] = _guarded("schemathesis anchor", runs.anchor)
        m["run_ratios"] = runs.ratios(m)
    else:
        for name in ("run_in_process", "run_http", "run_http_unpaced", "anchor"):
            m[name] = skipped
    m["load"] = (
        _guarded(
            "load",
            lambda: load.measure(
                wrk_path=args.wrk,
                prism_path=args.prism,
                prism_missing=args.prism_missing,
                duration_s=args.load_seconds,
                repeats=args.load_repeats,
            ),
        )
        if "load" in args.only
        else skipped
    )
    m["scale"] = (
        _guarded("scale", lambda: scale.measure(samples=args.scale_samples))
        if "scale" in args.only
        else skipped
    )
    m["walk"] = _guarded("walk", long_walk.measure) if "walk" in args.only else skipped
    m["parallel"] = (
        _guarded("parallel", lambda: parallel.measure(m)) if "parallel" in args.only else skipped
    )
    machine = {
        **meta.machine(),
        "load_average_before": load_before,
        "load_average_after": meta.load_average(),
    }
    results: dict[str, Any] = {
        "command": args.command,
        "date": meta.now(),
        "machine": machine,
        "versions": meta.versions(tools),
        "measurements": m,
        "targets": targets.judge(m),
        "notes": [
            "Every server and load generator ran on 127.0.0.1 of this one machine; generator, "
            "server and client share its cores, so absolute figures are pessimistic and noisy.",
        ],
    }
    json_path, md_path = report.write(results, args.out)
    print(f"bench: wrote {json_path} and {md_path}", file=sys.stderr)
    if args.readme is not None and not report.update_readme(args.readme, results):
        print(f"bench: {args.readme} has no bench markers; left as it is", file=sys.stderr)
    for target in results["targets"]:
        print(f"{target['result'].upper():>12}  {target['target']}: {target['figure'] or '—'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
