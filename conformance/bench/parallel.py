"""Parallelism: would running checks in threads help? Measured only if the runner can do it;
otherwise the bench says why not, with what the default run's own figures imply."""

from __future__ import annotations

from typing import Any

from conformance.bench import runs
from conformance.bench.report import measured, not_measured

PARALLEL_FLAGS = ("--workers", "--threads", "--jobs", "-j")


def measure(m: dict[str, Any]) -> dict[str, Any]:
    available = runs.options(runs.run_help())
    if not available:
        return not_measured("nf-conformance run --help failed: the runner is not built yet")
    flags = [flag for flag in PARALLEL_FLAGS if flag in available]
    if flags:
        return not_measured(f"the runner has {flags[0]}, but the bench does not drive it yet")
    reason = (
        "the runner runs its checks one after another (no option for threads or workers), and "
        "the bench does not change the runner"
    )
    unpaced = m.get("run_http_unpaced")
    if measured(unpaced):
        assert unpaced is not None
        share = unpaced["cpu_s"] / unpaced["wall_s"] if unpaced["wall_s"] else 0.0
        reason += (
            f". What the figures imply: the unpaced run over HTTP used {unpaced['cpu_s']:.2f} s "
            f"CPU in {unpaced['wall_s']:.2f} s wall ({share:.0%}): Python work under one GIL, "
            "so threads could overlap at most the remaining waits; a live run is paced "
            "(5 requests/s by default), which no number of threads may exceed"
        )
    return not_measured(reason)
