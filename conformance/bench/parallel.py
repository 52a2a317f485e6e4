"""Parallelism: would running checks in threads help? Only measured if the runner can do it."""

from __future__ import annotations

from typing import Any

from conformance.bench import runs
from conformance.bench.report import not_measured

PARALLEL_FLAGS = ("--workers", "--threads", "--jobs", "-j")


def measure() -> dict[str, Any]:
    available = runs.options(runs.run_help())
    if not available:
        return not_measured("nf-conformance run --help failed: the runner is not built yet")
    flags = [flag for flag in PARALLEL_FLAGS if flag in available]
    if not flags:
        return not_measured(
            "the runner runs checks one after another and has no option to run them in "
            "threads or workers (the bench does not change the runner)"
        )
    return not_measured(f"the runner has {flags[0]}, but the bench does not drive it yet")
