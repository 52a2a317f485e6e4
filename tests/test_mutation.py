"""The mutation test: every fault of the mock is caught by a check covering what it breaks.

Each fault is a realistic server bug breaking one requirement (conformance/mock/faults/). The
hand-written checks must pass against the clean mock and flag every fault with a check that
covers the fault's requirement. The README's mutation table is generated from these runs.
"""

from __future__ import annotations

import pytest

from conformance import mutation
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
    assert result.requests_sent <= 115  # the path matrix plan included (conformance/probes.py)


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


# --- the mutation matrix (conformance/mutation.py; the full run is the `mutation` nox session) --

MATRIX_SAMPLE = [
    *mutation.scoped_mutants()[::61],  # a fixed spread over faults and scopes
    "count-is-total@team",  # killed on one route only
    "team-route-reversed@past-end",  # equivalent: past-the-end pages list nothing to reverse
    "not-found-as-400@runId",  # a documented survivor
    "unknown-project-200@team",  # unknown ids are asked for on the team route too
    "job-id-prefix-match@team",
    # whole cells: one code path each
    "count-is-total@team,runId,cursor,small,middle",
    "skipped-items@project,unfiltered,cursor,small,middle",
    "overlapping-pages@project,runId,page,small,first",  # page 1's own cursor is followed
    "skipped-items@team,runId,cursor,max,middle",
    "looping-cursor@project,runId,plain,default,first",  # runId=latest vs no runId (NF-RUN-005)
    "run-id-ignored@project,runId,plain,max,last",  # another run's listing (NF-RUN-003)
    "missing-pagination@team,unfiltered,page,max,empty",  # on the empty run
    "rate-limit-as-403@team,unfiltered,page,small,past-end",  # the limit falls in the cell
]


def test_the_committed_matrix_is_complete_and_meets_the_goal() -> None:
    document = mutation.load_results()
    assert [o["mutant"] for o in document["mutants"]] == mutation.mutants()
    assert document["summary"] == mutation.summary(document["mutants"])
    assert mutation.problems(document) == []
    assert document["summary"]["kill_rate"] >= mutation.GOAL
    survivors = {o["mutant"] for o in document["mutants"] if o["status"] == "survived"}
    assert survivors == set(mutation.SURVIVORS)  # each survivor documented, no stale reason


@pytest.mark.parametrize("spec", MATRIX_SAMPLE)
def test_a_fixed_sample_of_the_matrix_matches_the_committed_outcomes(spec: str) -> None:
    committed = {o["mutant"]: o for o in mutation.load_results()["mutants"]}
    assert mutation.run_mutant(spec) == committed[spec]


def test_a_mutant_that_changes_no_response_is_equivalent() -> None:
    requests = mutation.clean_requests("")
    assert mutation.changed_responses("team-route-reversed@past-end", requests) == 0
    assert mutation.changed_responses("count-is-total@team", requests) > 0
    assert mutation.changed_responses("count-is-total@project", requests) > 0


# A cell mutant is only built where the fault, unscoped, changes an answer in that cell: the
# inference holds both ways on a spread of faults and cells.
INFERENCE_SAMPLE = ["page-ignored", "count-is-total", "cursor-on-last-page", "beyond-end-404"]


@pytest.mark.parametrize("fault", INFERENCE_SAMPLE)
def test_a_fault_applies_to_exactly_the_cells_where_it_changes_an_answer(fault: str) -> None:
    from conformance.matrix import CELLS

    applicable = mutation.applicable_cells(fault)
    assert applicable, f"{fault} applies to no cell"
    others = [cell for cell in CELLS if cell not in applicable]
    for cell in [*applicable[::7], *others[::9]]:
        spec = f"{fault}@{mutation.cell_scope(cell)}"
        changed = mutation.changed_responses(spec, mutation.clean_requests(spec.partition("@")[2]))
        assert (changed > 0) == (cell in applicable), spec


def test_the_rate_limit_falls_on_the_first_request_in_the_mutants_scope() -> None:
    scope = "team,unfiltered,page,small,past-end"
    run = mutation.clean_run("")
    first = mutation._first_in_scope(scope, "")
    assert 0 < first < len(run.requests)
    assert mutation._target(f"rate-limit-as-403@{scope}").app.state.mock.ratelimit.limit == first
    outcome = mutation.run_mutant(f"rate-limit-as-403@{scope}")
    assert outcome["status"] == "killed", outcome
