"""The hand-written checks run against the mock with each fault: shared by the mutation and
catalog tests, each fault run once per test session."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from conformance.catalog import CHECKS, Check, Level
from conformance.mock.faults import FAULTS
from conformance.results import RunResult
from conformance.runner import RunOptions, execute, load_checks, mock_target

# Faults that need more than the fault itself to show: the mock's rate limit must be enforced,
# and the client must keep sending after x-ratelimit-remaining reaches 0 (as on a busy account).
SETUP: dict[str, dict[str, Any]] = {
    "rate-limit-as-403": {"app": {"rate_limit": 30}, "settings": {"min_ratelimit_remaining": 0}},
}


def hand_written() -> list[Check]:
    """The checks this suite proves against the mock's faults (NF-<AREA>-001..099)."""
    load_checks()
    return sorted(
        (check for check in CHECKS.values() if int(check.id.rsplit("-", 1)[1]) < 100),
        key=lambda check: check.id,
    )


@functools.cache
def run_against(fault: str | None) -> RunResult:
    """One run of the hand-written checks against the mock, with ``fault`` (None: clean)."""
    setup = SETUP.get(fault or "", {})
    target = mock_target(RunOptions(), faults=[fault] if fault else [], **setup.get("app", {}))
    target.settings = dataclasses.replace(target.settings, **setup.get("settings", {}))
    return execute(target, hand_written(), seed=1)


def catches(result: RunResult, requirement: str) -> list[str]:
    """The checks covering ``requirement`` that flag the run: failed, or warned when the check
    itself is below MUST (it can never fail)."""
    found = []
    for check in result.checks:
        if requirement not in check.requirements:
            continue
        if check.status == "failed" or (check.status == "warned" and check.level != Level.MUST):
            found.append(check.id)
    return found


def faults() -> list[str]:
    return list(FAULTS)
