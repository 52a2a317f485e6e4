"""README.md's generated tables are current (python -m conformance.docs --write updates them)."""

from __future__ import annotations

import pytest

from conformance import docs
from tests.faultruns import all_runs


def test_replace_between_markers() -> None:
    text = "a\n<!-- t:start -->\nold\n<!-- t:end -->\nb\n"
    assert docs.replace_between(text, "t", "new") == "a\n<!-- t:start -->\nnew\n<!-- t:end -->\nb\n"
    with pytest.raises(ValueError, match="exactly one"):
        docs.replace_between("no markers", "t", "x")


def test_the_check_table_lists_every_check_once() -> None:
    table = docs.check_table()
    for check in docs.hand_written():
        assert table.count(f"| {check.id} |") == 1
    assert "| NF-PAG-011 | A page with hasNextPage false carries no cursor | MUST |" in table


@pytest.mark.slow
def test_readme_tables_are_up_to_date() -> None:
    current = docs.README.read_text(encoding="utf-8")
    wanted = docs.render_readme(current, runs=all_runs)
    assert current == wanted, "README.md is stale: run python -m conformance.docs --write"
