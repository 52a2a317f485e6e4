"""Faults in the runId filter: which run is listed and echoed (REQ-RUN-*)."""

from __future__ import annotations

from conformance.mock.faults.base import Fault
from conformance.mock.fixture import Job
from conformance.mock.model import Body, Ctx, Query, Selection, Window


def _run_id_ignored(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return None
    return Selection(job.latest_run, selection.echo_run_id)


def _run_id_of_latest(ctx: Ctx, window: Window, body: Body) -> Body:
    body["data"]["runId"] = window.job.latest_run.id
    return body


def _run_dropped_with_cursor(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.cursor is not None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


def _oldest_by_default(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.run_id is None and query.cursor is None:
        oldest = job.runs[-1]
        return Selection(oldest, oldest.id)
    return selection


def _unknown_run_falls_back(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


def _prefix_match(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is not None or not query.run_id:
        return selection
    wanted = query.run_id
    for run in job.runs:
        if run.id.startswith(wanted) or wanted.startswith(run.id):
            return Selection(run, run.id)
    return None


def _past_end_names_latest(ctx: Ctx, window: Window, body: Body) -> Body:
    if window.offset >= window.total > 0:
        body["data"]["runId"] = window.job.latest_run.id
    return body


ENTRIES = [
    Fault(
        "run-id-ignored",
        "REQ-RUN-FILTER",
        "runId is echoed in data.runId but the latest run's containers are listed",
        select=_run_id_ignored,
    ),
    Fault(
        "run-id-echo-latest",
        "REQ-RUN-ECHO",
        "data.runId always names the latest run, whichever run is listed",
        payload=_run_id_of_latest,
    ),
    Fault(
        "run-id-dropped-on-later-pages",
        "REQ-RUN-FILTER-EVERY-PAGE",
        "a cursor forgets the run: later pages list the latest run",
        select=_run_dropped_with_cursor,
    ),
    Fault(
        "default-run-not-latest",
        "REQ-RUN-LATEST-DEFAULT",
        "without runId, the oldest run is listed",
        select=_oldest_by_default,
    ),
    Fault(
        "unknown-run-falls-back",
        "REQ-RUN-UNKNOWN",
        "an unknown runId lists the latest run's containers (200)",
        select=_unknown_run_falls_back,
    ),
    Fault(
        "run-id-prefix-match",
        "REQ-RUN-FILTER",
        "runId matches a run it is a prefix of, or that is a prefix of it (LIKE 'id%')",
        select=_prefix_match,
    ),
    Fault(
        "past-end-names-latest-run",
        "REQ-RUN-ECHO",
        "a page past the end of a run names the latest run in data.runId",
        payload=_past_end_names_latest,
    ),
]
