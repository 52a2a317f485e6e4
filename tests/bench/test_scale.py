from __future__ import annotations

from conformance.bench.scale import DISTINCT_PAGES, page_plan


def test_page_plan_spreads_from_first_to_last_page() -> None:
    plan = page_plan(1_000_000, 300)
    assert len(plan) == 300
    distinct = sorted(set(plan))
    assert len(distinct) == DISTINCT_PAGES
    assert distinct[0] == 1
    assert distinct[-1] == 10_000  # 1,000,000 containers at 100 a page


def test_page_plan_cycles_over_a_small_run() -> None:
    plan = page_plan(1_000, 25)
    assert sorted(set(plan)) == list(range(1, 11))
    assert plan[:11] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1]


def test_page_plan_of_a_one_page_run() -> None:
    assert page_plan(12, 3) == [1, 1, 1]
    assert page_plan(0, 2) == [1, 1]
