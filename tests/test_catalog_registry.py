"""The one registry (catalog.check): a check is one object, its ID written once in code and its
words once in catalog.yaml; a missing or malformed entry, a duplicate ID, an entry no function
claims, or a function that does not fit its kind fails at import time and names the places."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance import catalog
from conformance.catalog import (
    CHECKS,
    CatalogError,
    Each,
    Entry,
    Findings,
    Level,
    NotRun,
    Scope,
    Violation,
    check,
    read_entry,
)
from conformance.runner import load_checks

EACH = Each(expected="no problem", nothing_to_judge="nothing of its kind arrived", noun="pages")
RUN_ENTRY = Entry("A made-up check", ("REQ-PAG-MADE-UP",), Level.MUST)
RESPONSE_ENTRY = Entry("A made-up response check", ("REQ-PAG-MADE-UP",), Level.MUST, EACH)


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Register into the real registry, then take the made-up checks (and entries) out again."""
    before = dict(load_checks())
    monkeypatch.setattr(catalog, "ENTRIES", dict(catalog.ENTRIES))
    yield
    CHECKS.clear()
    CHECKS.update(before)


def _run_check(ctx: Any) -> None:
    """A made-up run check."""


@pytest.mark.usefixtures("scratch")
def test_a_duplicate_id_fails_at_registration_and_names_both_places() -> None:
    catalog.ENTRIES["NF-PAG-097"] = RUN_ENTRY
    check("NF-PAG-097")(_run_check)

    def again(ctx: Any) -> None:
        """The same ID a second time."""

    with pytest.raises(CatalogError, match="NF-PAG-097 registered twice") as raised:
        check("NF-PAG-097")(again)
    assert "_run_check" in str(raised.value)
    assert "again" in str(raised.value)


@pytest.mark.usefixtures("scratch")
def test_a_check_without_its_entry_fails_and_names_the_function() -> None:
    with pytest.raises(CatalogError, match=r"NF-PAG-093 .*_run_check.* has no entry in catalog"):
        check("NF-PAG-093")(_run_check)
    assert "NF-PAG-093" not in CHECKS


@pytest.mark.usefixtures("scratch")
def test_an_entry_no_function_claims_stops_the_runner() -> None:
    catalog.ENTRIES["NF-PAG-092"] = RUN_ENTRY
    with pytest.raises(CatalogError, match="entries no @check claims: NF-PAG-092"):
        load_checks()


@pytest.mark.usefixtures("scratch")
@pytest.mark.parametrize(
    ("entry", "message"),
    [(RUN_ENTRY, "is a run check and takes (ctx)"), (RESPONSE_ENTRY, "is a response check")],
)
def test_a_function_that_does_not_fit_its_kind_fails(entry: Entry, message: str) -> None:
    catalog.ENTRIES["NF-PAG-096"] = entry

    def wrong(ctx: Any, page: Any, walk: Any) -> None:
        """Three parameters fit neither kind."""

    with pytest.raises(CatalogError, match=re.escape(message)):
        check("NF-PAG-096")(wrong)
    assert "NF-PAG-096" not in CHECKS


GOOD = {"title": "A made-up check", "level": "MUST", "requirements": ["REQ-PAG-MADE-UP"]}


@pytest.mark.parametrize(
    ("check_id", "changes", "message"),
    [
        ("NF-PAG-03", {}, "not of the form NF-<AREA>-<NNN>"),
        ("NF-PAG-095", {"title": "x" * 70}, "title is 70 characters"),
        ("NF-PAG-095", {"level": "MIGHT"}, "level 'MIGHT' is not one of"),
        ("NF-PAG-095", {"requirements": []}, "requirements must be REQ-\\* IDs"),
        ("NF-PAG-095", {"requirements": ["R"]}, "requirements must be REQ-\\* IDs"),
        ("NF-PAG-095", {"titel": "typo"}, "unknown key\\(s\\) titel"),
        ("NF-PAG-095", {"each": {"expected": "x"}}, "each: missing nothing_to_judge"),
        ("NF-PAG-095", {"each": "x"}, "each: expected a mapping"),
    ],
)
def test_malformed_entries_fail_and_name_the_entry(
    check_id: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(CatalogError, match=f"catalog.yaml: {check_id}.*{message}"):
        read_entry(check_id, GOOD | changes)


def test_an_entry_reads_into_its_words() -> None:
    words = {"expected": "no problem", "nothing_to_judge": "nothing of its kind arrived"}
    entry = read_entry("NF-PAG-095", GOOD | {"each": words | {"noun": "pages"}})
    assert entry == Entry("A made-up check", ("REQ-PAG-MADE-UP",), Level.MUST, EACH)
    assert read_entry("NF-PAG-095", GOOD).each is None


def test_a_retired_id_in_use_again_fails(tmp_path: Path) -> None:
    entry = "    title: Made up\n    level: MUST\n    requirements: [REQ-PAG-MADE-UP]\n"
    retired = "    replaced_by: [NF-PAG-001]\n    reason: merged\n"
    path = tmp_path / "catalog.yaml"
    path.write_text(f"checks:\n  NF-PAG-102:\n{entry}retired:\n  NF-PAG-102:\n{retired}")
    with pytest.raises(CatalogError, match="retired ID\\(s\\) NF-PAG-102 reused"):
        catalog._read_catalog(path)


class _Context:
    def __init__(self) -> None:
        self.found: dict[str, Findings] = {}

    def findings(self, check_id: str) -> Findings:
        return self.found.setdefault(check_id, Findings())


@pytest.mark.usefixtures("scratch")
def test_a_response_check_is_one_object_that_judges_each_page_and_concludes() -> None:
    catalog.ENTRIES["NF-PAG-094"] = RESPONSE_ENTRY

    @check("NF-PAG-094")
    def even_pages(ctx: Any, page: int) -> str | None:
        """Odd pages are a problem."""
        return f"page {page}" if page % 2 else ""

    registered = CHECKS["NF-PAG-094"]
    assert registered.scope is Scope.RESPONSES
    assert registered.doc == "Odd pages are a problem."
    ctx = _Context()
    with pytest.raises(NotRun, match="nothing of its kind arrived"):
        registered.conclude(ctx)
    assert [registered.judge(ctx, page) for page in (2, 3)] == ["", "page 3"]


def test_conclusions_use_the_words_of_each() -> None:
    class Exchange:
        method, url = "GET", "/v1/x"

        def excerpt(self) -> dict[str, Any]:
            return {"request": "GET /v1/x"}

    found = Findings()
    found.add(Exchange(), "")  # type: ignore[arg-type]
    found.add(Exchange(), "count=3 with 2 containers")  # type: ignore[arg-type]
    with pytest.raises(Violation) as raised:
        found.raise_if_any(expected=EACH.expected, noun=EACH.noun)
    assert raised.value.expected == "no problem"
    assert raised.value.received == "count=3 with 2 containers (GET /v1/x)"
    assert raised.value.evidence == [{"request": "GET /v1/x"}]
