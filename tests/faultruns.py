"""The hand-written checks run against the mock with each fault, once per test session: shared
by the mutation, catalog and README tests (conformance/docs.py does the runs)."""

from __future__ import annotations

import functools

from conformance.docs import catching, fault_run
from conformance.mock.faults import FAULTS
from conformance.results import RunResult


@functools.cache
def run_against(fault: str | None) -> RunResult:
    """One run of the hand-written checks against the mock, with ``fault`` (None: clean)."""
    return fault_run(fault)


def all_runs() -> dict[str, RunResult]:
    return {name: run_against(name) for name in FAULTS}


def catches(result: RunResult, requirement: str) -> list[str]:
    return [check_id for check_id, _ in catching(result, requirement)]


def faults() -> list[str]:
    return list(FAULTS)
