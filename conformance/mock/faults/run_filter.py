"""Faults in the runId filter: which run is listed and echoed (REQ-RUN-*)."""

from __future__ import annotations

from conformance.mock.faults.base import fault
from conformance.mock.fixture import Job
from conformance.mock.model import Body, Ctx, Query, Selection, Window


@fault(
    "run-id-ignored",
    "REQ-RUN-FILTER",
    "runId is echoed in data.runId but the latest run's containers are listed",
    hook="select",
)
def _run_id_ignored(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return None
    return Selection(job.latest_run, selection.echo_run_id)


@fault(
    "run-id-echo-latest",
    "REQ-RUN-ECHO",
    "data.runId always names the latest run, whichever run is listed",
    hook="payload",
)
def _run_id_of_latest(ctx: Ctx, window: Window, body: Body) -> Body:
    body["data"]["runId"] = window.job.latest_run.id
    return body


@fault(
    "run-id-dropped-on-later-pages",
    "REQ-RUN-FILTER-EVERY-PAGE",
    "a cursor forgets the run: later pages list the latest run",
    hook="select",
)
def _run_dropped_with_cursor(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.cursor is not None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


@fault(
    "default-run-not-latest",
    "REQ-RUN-LATEST-DEFAULT",
    "without runId, the oldest run is listed",
    hook="select",
)
def _oldest_by_default(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if query.run_id is None and query.cursor is None:
        oldest = job.runs[-1]
        return Selection(oldest, oldest.id)
    return selection


@fault(
    "unknown-run-falls-back",
    "REQ-RUN-UNKNOWN",
    "an unknown runId lists the latest run's containers (200)",
    hook="select",
)
def _unknown_run_falls_back(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return Selection(job.latest_run, job.latest_run.id)
    return selection


@fault(
    "run-id-prefix-match",
    "REQ-RUN-FILTER",
    "runId matches a run it is a prefix of, or that is a prefix of it (LIKE 'id%')",
    hook="select",
)
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


@fault(
    "past-end-names-latest-run",
    "REQ-RUN-ECHO",
    "a page past the end of a run names the latest run in data.runId",
    hook="payload",
)
def _past_end_names_latest(ctx: Ctx, window: Window, body: Body) -> Body:
    if window.offset >= window.total > 0:
        body["data"]["runId"] = window.job.latest_run.id
    return body
