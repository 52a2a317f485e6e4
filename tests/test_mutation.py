"""The mutation test: every fault of the mock is caught by a check covering what it breaks.

Each fault is a realistic server bug breaking one requirement (conformance/mock/faults/). The
hand-written checks must pass against the clean mock and flag every fault with a check that
covers the fault's requirement. The README's mutation table is generated from these runs.
"""

from __future__ import annotations

import pytest

from conformance.context import CheckContext
from conformance.mock.faults import FAULTS
from conformance.options import RunOptions, mock_target
from conformance.spec import requirements
from conformance.target import open_client
from tests.faultruns import catches, faults, run_against

pytestmark = pytest.mark.slow


def test_the_clean_mock_passes_every_check() -> None:
    result = run_against(None)
    assert [(c.id, c.status.value, c.message) for c in result.checks if c.status != "passed"] == [
        ("NF-HTTP-009", "skipped", "the target rate-limited no request of this run")
    ]
    assert result.requests_sent <= 60


@pytest.mark.parametrize("fault", faults())
def test_each_fault_is_caught_by_a_check_covering_its_requirement(fault: str) -> None:
    requirement = FAULTS[fault].requirement
    result = run_against(fault)
    caught = catches(result, requirement)
    flagged = [(c.id, c.status.value) for c in result.checks if c.status in ("failed", "warned")]
    assert caught, f"{fault} breaks {requirement}; flagged instead: {flagged}"


def test_cursors_that_need_escaping_only_warn_and_are_sent_back_encoded() -> None:
    """Opaque cursors of any format are fair; only the JS client's raw query strings suffer."""
    fault = "cursor-needs-escaping"
    result = run_against(fault)
    problems = [(c.id, c.status.value) for c in result.checks if c.status in ("failed", "warned")]
    assert problems == [("NF-PAG-018", "warned")]
    target = mock_target(RunOptions(), faults=[fault])
    with open_client(target.settings, target.app) as client:
        walk = CheckContext(client).full_walk("cursor")
    cursors = [page.cursor or "" for page in walk.pages]
    assert walk.complete
    assert any(set(cursor) & set("+/=") for cursor in cursors)  # sent back URL-encoded


def test_every_fault_breaks_a_catalogued_requirement() -> None:
    assert {fault.requirement for fault in FAULTS.values()} <= set(requirements())
