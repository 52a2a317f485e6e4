"""The one registry (catalog.check): a check is one object, its ID written once; a duplicate ID
or a function that does not fit its kind fails at import time and names the places."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from conformance.catalog import (
    CHECKS,
    CatalogError,
    Each,
    Findings,
    Level,
    NotRun,
    Scope,
    Violation,
    check,
)

EACH = Each(expected="no problem", nothing_to_judge="nothing of its kind arrived", noun="pages")


@pytest.fixture
def scratch() -> Iterator[None]:
    """Register into the real registry, then take the made-up checks out again."""
    before = dict(CHECKS)
    yield
    CHECKS.clear()
    CHECKS.update(before)


def _run_check(ctx: Any) -> None:
    """A made-up run check."""


@pytest.mark.usefixtures("scratch")
def test_a_duplicate_id_fails_at_registration_and_names_both_places() -> None:
    check(id="NF-PAG-097", title="A made-up check", requirements=["R"], level=Level.MUST)(
        _run_check
    )

    def again(ctx: Any) -> None:
        """The same ID a second time."""

    with pytest.raises(CatalogError, match="NF-PAG-097 registered twice") as raised:
        check(id="NF-PAG-097", title="Another", requirements=["R"], level=Level.MUST)(again)
    assert "_run_check" in str(raised.value)
    assert "again" in str(raised.value)


@pytest.mark.usefixtures("scratch")
@pytest.mark.parametrize(
    ("each", "message"),
    [(None, "is a run check and takes (ctx)"), (EACH, "is a response check and takes")],
)
def test_a_function_that_does_not_fit_its_kind_fails(each: Each | None, message: str) -> None:
    def wrong(ctx: Any, page: Any) -> None:
        """Two parameters fit neither kind."""

    with pytest.raises(CatalogError, match=re.escape(message)):
        check(id="NF-PAG-096", title="Wrong", requirements=["R"], level=Level.MUST, each=each)(
            wrong
        )
    assert "NF-PAG-096" not in CHECKS


@pytest.mark.parametrize(
    ("check_id", "title"),
    [("NF-PAG-03", "A malformed ID"), ("NF-PAG-095", "x" * 70)],
)
def test_malformed_ids_and_long_titles_fail(check_id: str, title: str) -> None:
    with pytest.raises(CatalogError):
        check(id=check_id, title=title, requirements=["R"], level=Level.MUST)(_run_check)


class _Context:
    def __init__(self) -> None:
        self.found: dict[str, Findings] = {}

    def findings(self, check_id: str) -> Findings:
        return self.found.setdefault(check_id, Findings())


@pytest.mark.usefixtures("scratch")
def test_a_response_check_is_one_object_that_judges_each_page_and_concludes() -> None:
    @check(id="NF-PAG-094", title="Made up", requirements=["R"], level=Level.MUST, each=EACH)
    def even_pages(ctx: Any, page: int, walk: Any) -> str | None:
        """Odd pages are a problem."""
        return f"page {page}" if page % 2 else ""

    registered = CHECKS["NF-PAG-094"]
    assert registered.scope is Scope.RESPONSES
    assert registered.doc == "Odd pages are a problem."
    ctx = _Context()
    with pytest.raises(NotRun, match="nothing of its kind arrived"):
        registered.conclude(ctx)
    assert [registered.judge(ctx, page, None) for page in (2, 3)] == ["", "page 3"]


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
