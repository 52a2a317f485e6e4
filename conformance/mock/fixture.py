"""The mock's data: one team, one project, two jobs and their runs, all deterministic.

Containers are never stored: each is computed from its run and index on demand, so a page costs
O(per_page) however many containers a run holds (``Fixture.with_containers(1_000_000)`` is cheap).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal

# Public, fixed and obviously fake: they open the mock and nothing else.
MOCK_TOKEN = "nf-mock-token-full-access-not-a-secret"  # noqa: S105
MOCK_RESTRICTED_TOKEN = "nf-mock-token-restricted-not-a-secret"  # noqa: S105

TASK_STATUSES = (
    "TASK_RUNNING",
    "TASK_STARTING",
    "TASK_STAGING",
    "TASK_KILLING",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_FINISHED",
)
RunStatus = Literal["SUCCESS", "RUNNING", "FAILED"]

# Kubernetes' pod-name suffix alphabet: no vowels, no look-alike digits.
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_SUFFIX_MULTIPLIER = 7_368_787  # not a multiple of 3: a bijection modulo 27**k
_RUN_NAMESPACE = uuid.UUID("6f1d8c2e-3b7a-4f0e-9c51-2d4e8a9b0c17")
_MAX_CONTAINERS = 2**32 - 1  # cursors carry offsets as 32-bit integers
# The latest run is still going: its containers cycle through every state a task can be in.
_LIVE_CYCLE = (
    "TASK_FINISHED",
    "TASK_FINISHED",
    "TASK_FINISHED",
    "TASK_FAILED",
    "TASK_KILLED",
    "TASK_RUNNING",
    "TASK_RUNNING",
    "TASK_RUNNING",
    "TASK_STARTING",
    "TASK_STAGING",
    "TASK_KILLING",
    "TASK_RUNNING",
)


def _hash(*parts: object) -> int:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class Container:
    name: str
    created_at: int
    status: str
    updated_at: int

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "createdAt": self.created_at,
            "status": self.status,
            "updatedAt": self.updated_at,
        }


@dataclass(frozen=True)
class Run:
    """One job run. ``container_count`` containers, computed on demand in a fixed order."""

    id: str
    job_id: str
    run_name: str
    status: RunStatus
    started_at: int
    concluded_at: int | None
    container_count: int
    backoff_limit: int = 6

    @property
    def short(self) -> str:
        return self.id.split("-")[0]

    @cached_property
    def _suffix_length(self) -> int:
        length = 5
        while len(_SUFFIX_ALPHABET) ** length < self.container_count:
            length += 1
        return length

    @cached_property
    def _suffix_offset(self) -> int:
        return _hash(self.id, "offset")

    def _status(self, index: int) -> str:
        if self.status == "RUNNING":
            return _LIVE_CYCLE[index % len(_LIVE_CYCLE)]
        if self.status == "FAILED" and index == self.container_count - 1:
            return "TASK_FAILED"
        roll = _hash(self.id, index, "status") % 40
        return "TASK_FAILED" if roll == 0 else "TASK_KILLED" if roll == 1 else "TASK_FINISHED"

    def container(self, index: int) -> Container:
        """The ``index``-th container of this run (0-based, in the mock's stable order)."""
        if not 0 <= index < self.container_count:
            raise IndexError(f"run {self.id} has {self.container_count} containers, not {index}")
        length = self._suffix_length
        modulus = len(_SUFFIX_ALPHABET) ** length
        code = (index * _SUFFIX_MULTIPLIER + self._suffix_offset) % modulus
        suffix = ""
        for _ in range(length):
            code, digit = divmod(code, len(_SUFFIX_ALPHABET))
            suffix += _SUFFIX_ALPHABET[digit]
        status = self._status(index)
        created = self.started_at + 1 + index // 10
        if status in ("TASK_STAGING", "TASK_STARTING"):
            updated = created
        else:
            updated = created + 5 + _hash(self.id, index, "duration") % 600
        return Container(f"{self.job_id}-{self.short}-{suffix}", created, status, updated)

    def page(self, offset: int, limit: int) -> list[Container]:
        """Containers ``offset`` .. ``offset + limit - 1`` (fewer at the end): O(limit)."""
        start = max(0, offset)
        stop = min(self.container_count, max(start, offset + limit))
        return [self.container(index) for index in range(start, stop)]

    def as_json(self) -> dict[str, Any]:
        """The run as ``GET .../jobs/{jobId}/runs`` lists it."""
        concluded = self.concluded_at is not None
        body: dict[str, Any] = {
            "id": self.id,
            "runName": self.run_name,
            "status": self.status,
            "startedAt": _iso(self.started_at),
            "active": 0 if concluded else 1,
            "succeeded": 1 if self.status == "SUCCESS" else 0,
            "failed": 1 if self.status == "FAILED" else 0,
            "completions": 1,
            "backoffLimit": self.backoff_limit,
            "concluded": concluded,
        }
        if self.concluded_at is not None:
            body["concludedAt"] = _iso(self.concluded_at)
        return body


@dataclass(frozen=True)
class Job:
    id: str
    runs: tuple[Run, ...]  # newest first

    @property
    def latest_run(self) -> Run:
        return self.runs[0]

    def run(self, run_id: str) -> Run | None:
        return next((run for run in self.runs if run.id == run_id), None)

    @property
    def run_ids(self) -> list[str]:
        return [run.id for run in self.runs]


def _runs(job_id: str, first_start: int, plan: list[tuple[RunStatus, int]]) -> tuple[Run, ...]:
    """Nightly runs, newest first: ``plan[0]`` starts at ``first_start``, each a day before."""
    runs = []
    for age, (status, count) in enumerate(plan):
        started = first_start - age * 86_400 + _hash(job_id, age) % 90
        concluded = None if status == "RUNNING" else started + 600 + count * 3
        runs.append(
            Run(
                id=str(uuid.uuid5(_RUN_NAMESPACE, f"{job_id}/{started}")),
                job_id=job_id,
                run_name=f"{job_id}-{started // 60}",
                status=status,
                started_at=started,
                concluded_at=concluded,
                container_count=count,
            )
        )
    return tuple(runs)


@dataclass(frozen=True)
class Fixture:
    """Everything the mock serves. The first job is the one a run checks."""

    team_id: str
    project_id: str
    jobs: tuple[Job, ...]

    def __post_init__(self) -> None:
        if not self.jobs or any(not job.runs for job in self.jobs):
            raise ValueError("a fixture needs at least one job, and every job a run")
        if len(self.jobs) > 127:
            raise ValueError("a fixture holds at most 127 jobs")
        runs = [run for job in self.jobs for run in job.runs]
        if len({run.short for run in runs}) != len(runs):
            raise ValueError("run ids must differ in their first group")
        if len(runs) > 0xFFFF or any(not 0 <= r.container_count <= _MAX_CONTAINERS for r in runs):
            raise ValueError(f"container counts must lie in 0..{_MAX_CONTAINERS}")

    @classmethod
    def default(cls, containers: int | None = None) -> Fixture:
        """Team, project, a job with three runs (12, 237 and 41 containers), a second job.

        ``containers`` replaces the latest run's count, for scale tests.
        """
        main = _runs(
            "nightly-report",
            1_795_831_200,  # 2026-11-28T02:00:00Z
            [("RUNNING", 12), ("SUCCESS", 237), ("FAILED", 41)],
        )
        if containers is not None:
            main = (replace(main[0], container_count=containers), *main[1:])
        second = _runs("db-backup", 1_795_824_000, [("SUCCESS", 3), ("SUCCESS", 2)])
        return cls(
            team_id="acme-analytics",
            project_id="analytics-prod",
            jobs=(Job("nightly-report", main), Job("db-backup", second)),
        )

    @classmethod
    def with_containers(cls, count: int) -> Fixture:
        """The default fixture with ``count`` containers in the latest run of the main job."""
        return cls.default(containers=count)

    @property
    def job_id(self) -> str:
        return self.jobs[0].id

    @property
    def second_job_id(self) -> str:
        return self.jobs[1].id if len(self.jobs) > 1 else self.jobs[0].id

    @property
    def run_ids(self) -> list[str]:
        """The main job's runs, newest first."""
        return self.jobs[0].run_ids

    @property
    def latest_run_id(self) -> str:
        return self.jobs[0].latest_run.id

    def job(self, job_id: str) -> Job | None:
        return next((job for job in self.jobs if job.id == job_id), None)

    def job_index(self, job_id: str) -> int:
        return next(index for index, job in enumerate(self.jobs) if job.id == job_id)
