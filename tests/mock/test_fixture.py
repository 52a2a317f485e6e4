from __future__ import annotations

import re

import pytest

from conformance.mock.fixture import (
    MOCK_RESTRICTED_TOKEN,
    MOCK_TOKEN,
    TASK_STATUSES,
    Fixture,
    Job,
    Run,
)

NAME = re.compile(r"[a-z0-9-]+-[0-9a-f]{8}-[bcdfghjklmnpqrstvwxz2456789]{5,}")


def all_containers(run: Run) -> list[dict[str, object]]:
    return [container.as_json() for container in run.page(0, run.container_count)]


def test_default_fixture_has_the_shape_the_checks_need() -> None:
    fixture = Fixture.default()
    main = fixture.job(fixture.job_id)
    assert main is not None
    assert len(main.runs) >= 3
    assert main.latest_run.id == fixture.run_ids[0] == fixture.latest_run_id
    assert 10 <= main.latest_run.container_count <= 15
    assert any(run.container_count >= 230 for run in main.runs[1:])
    second = fixture.job(fixture.second_job_id)
    assert second is not None
    assert second.id != fixture.job_id
    assert second.runs
    assert not set(second.run_ids) & set(main.run_ids)


def test_the_latest_run_alone_covers_every_status() -> None:
    run = Fixture.default().jobs[0].latest_run
    assert {item["status"] for item in all_containers(run)} == set(TASK_STATUSES)


def test_runs_are_newest_first_and_named_like_uuids() -> None:
    for job in Fixture.default().jobs:
        starts = [run.started_at for run in job.runs]
        assert starts == sorted(starts, reverse=True)
        for run in job.runs:
            assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", run.id)


def test_containers_are_realistic_unique_and_well_timed() -> None:
    fixture = Fixture.default()
    names = []
    for job in fixture.jobs:
        for run in job.runs:
            for item in all_containers(run):
                assert NAME.fullmatch(str(item["name"])), item
                assert str(item["name"]).startswith(f"{job.id}-{run.short}-")
                created, updated = item["createdAt"], item["updatedAt"]
                assert isinstance(created, int)
                assert isinstance(updated, int)
                assert updated >= created >= 1
                assert created >= run.started_at
                assert item["status"] in TASK_STATUSES
                names.append(item["name"])
    assert len(names) == len(set(names)) == 12 + 237 + 41 + 3 + 2


def test_the_fixture_is_deterministic() -> None:
    first, second = Fixture.default(), Fixture.default()
    assert first == second
    assert all_containers(first.jobs[0].runs[1]) == all_containers(second.jobs[0].runs[1])


def test_tokens_are_fixed_distinct_and_obviously_fake() -> None:
    assert MOCK_TOKEN != MOCK_RESTRICTED_TOKEN
    assert "not-a-secret" in MOCK_TOKEN
    assert "not-a-secret" in MOCK_RESTRICTED_TOKEN


def test_page_returns_the_slice_and_stops_at_the_end() -> None:
    run = Fixture.default().jobs[0].runs[1]
    everything = run.page(0, 10_000)
    assert len(everything) == 237
    assert run.page(230, 50) == everything[230:]
    assert run.page(237, 50) == []
    assert run.page(5, 0) == []
    with pytest.raises(IndexError):
        run.container(237)


def test_a_million_containers_cost_a_page_not_a_million(monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = Fixture.with_containers(1_000_000)
    run = fixture.jobs[0].latest_run
    assert run.container_count == 1_000_000
    calls = []
    original = Run.container

    def counting(self: Run, index: int) -> object:
        calls.append(index)
        return original(self, index)

    monkeypatch.setattr(Run, "container", counting)
    page = run.page(999_950, 100)
    assert len(page) == 50
    assert calls == list(range(999_950, 1_000_000))


def test_names_stay_unique_at_scale() -> None:
    run = Fixture.with_containers(50_000).jobs[0].latest_run
    names = [item.name for item in run.page(0, run.container_count)]
    assert len(set(names)) == 50_000


def test_suffixes_grow_when_five_characters_run_out() -> None:
    run = Fixture.with_containers(27**5 + 1).jobs[0].latest_run
    assert len(run.container(0).name.rsplit("-", 1)[1]) == 6
    assert run.container(27**5).name != run.container(0).name


def test_inconsistent_fixtures_are_refused() -> None:
    fixture = Fixture.default()
    with pytest.raises(ValueError, match="at least one job"):
        Fixture("t", "p", ())
    with pytest.raises(ValueError, match="every job a run"):
        Fixture("t", "p", (Job("j", ()),))
    twin = Job("copy", fixture.jobs[0].runs)
    with pytest.raises(ValueError, match="run ids"):
        Fixture("t", "p", (fixture.jobs[0], twin))
