"""The check catalog keeps itself honest: well-formed IDs and titles, every requirement covered,
every hand-written check proven by a fault of the mock (catalog.py, conformance/checks/)."""

from __future__ import annotations

import inspect
import re

import pytest

from conformance.catalog import CHECK_ID, CHECKS, RETIRED, Level, Scope
from conformance.docs import hand_written
from conformance.runner import load_checks
from conformance.spec import requirements
from tests.faultruns import faults, run_against

MODULE_AREA = {
    "errors": "ERR",
    "http": "HTTP",
    "page_parameters": "PAG",
    "pagination": "PAG",
    "permissions": "PRM",
    "run_filter": "RUN",
    "schema": "SCH",
    "walks": "PAG",
}
# Checks no fault of the mock can make fail, and what proves them instead.
UNPROVEN_BY_FAULTS = {
    "NF-HTTP-003": (
        "redirects, cut-off bodies and lost connections happen below the app: proven by "
        "tests/checks/test_http.py::test_a_redirect_fails and the servers of tests/hostile/"
    ),
}


@pytest.fixture(scope="module", autouse=True)
def _registered() -> None:
    load_checks()


def test_hand_written_ids_are_below_100_in_their_modules_area() -> None:
    """(@check itself refuses a malformed ID, a long title or a duplicate, at import.)"""
    assert CHECKS
    for check in hand_written():
        module = check.func.__module__.removeprefix("conformance.checks.")
        assert MODULE_AREA[module] == check.area, check.id


def test_titles_are_short_present_tense_facts() -> None:
    for check in CHECKS.values():
        assert not re.search(r"\b(should|test that|checks? (that|whether))\b", check.title, re.I)
        assert not check.title.endswith("."), check.id


def test_hand_written_checks_say_why_they_matter_in_one_sentence() -> None:
    for check in hand_written():
        doc = check.doc
        assert doc, f"{check.id} has no docstring"
        assert doc.endswith("."), check.id
        assert doc.count(". ") == 0, f"{check.id}: one sentence, not {doc!r}"


def test_every_requirement_is_covered_and_every_reference_exists() -> None:
    catalog = set(requirements())
    covered = {r for check in CHECKS.values() for r in check.requirements}
    assert catalog - covered == set()
    assert covered - catalog == set()


def test_check_levels_follow_their_requirements() -> None:
    """A check is MUST only if a MUST requirement backs it; below that it can only warn."""
    catalog = requirements()
    for check in CHECKS.values():
        levels = {catalog[r].level for r in check.requirements}
        if check.level is Level.MUST:
            assert Level.MUST in levels, f"{check.id} is MUST but names no MUST requirement"
        else:
            assert levels, check.id


def test_response_checks_send_nothing_of_their_own() -> None:
    for check in hand_written():
        if check.scope is Scope.RESPONSES:
            source = inspect.getsource(check.func)
            assert "ctx.fetch(" not in source, check.id
            assert "ctx.client.get(" not in source, check.id


@pytest.mark.slow
def test_every_hand_written_check_is_proven_by_a_fault() -> None:
    proven: set[str] = set()
    for fault in faults():
        for result in run_against(fault).checks:
            below_must = result.level != Level.MUST
            if result.status == "failed" or (result.status == "warned" and below_must):
                proven.add(result.id)
    unproven = {check.id for check in hand_written()} - proven
    assert unproven == set(UNPROVEN_BY_FAULTS)


def test_retired_ids_are_never_reused_and_name_registered_successors() -> None:
    assert RETIRED
    for check_id, retired in RETIRED.items():
        assert retired.id == check_id
        assert CHECK_ID.match(check_id)
        assert check_id not in CHECKS, f"{check_id} is retired: never register it again"
        assert retired.replaced_by
        assert set(retired.replaced_by) <= CHECKS.keys(), check_id
        assert retired.reason
