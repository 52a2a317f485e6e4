"""Faults in the runId filter: which run is listed and echoed (REQ-RUN-*)."""

from __future__ import annotations

import dataclasses

from conformance.mock.faults._common import in_place, lists_run
from conformance.mock.faults.base import fault
from conformance.mock.fixture import Job, Run
from conformance.mock.model import Body, Ctx, Query, Selection, Window


@fault("run-id-ignored", hook="select")
def _run_id_ignored(
    ctx: Ctx, job: Job, query: Query, selection: Selection | None
) -> Selection | None:
    if selection is None:
        return None
    return Selection(job.latest_run, selection.echo_run_id)


@fault("run-id-echo-latest", hook="payload")
@in_place
def _run_id_of_latest(window: Window, body: Body) -> None:
    body["data"]["runId"] = window.job.latest_run.id


@fault("run-id-dropped-on-later-pages", hook="select")
@lists_run
def _run_dropped_with_cursor(job: Job, query: Query, selection: Selection | None) -> Run | None:
    return job.latest_run if query.cursor is not None else None


@fault("default-run-not-latest", hook="select")
@lists_run
def _oldest_by_default(job: Job, query: Query, selection: Selection | None) -> Run | None:
    return job.runs[-1] if query.run_id is None and query.cursor is None else None


@fault("unknown-run-falls-back", hook="select")
@lists_run
def _unknown_run_falls_back(job: Job, query: Query, selection: Selection | None) -> Run | None:
    return job.latest_run if selection is None else None


@fault("run-id-prefix-match", hook="select")
@lists_run
def _prefix_match(job: Job, query: Query, selection: Selection | None) -> Run | None:
    wanted = query.run_id
    if selection is not None or not wanted:
        return None
    return next(
        (run for run in job.runs if run.id.startswith(wanted) or wanted.startswith(run.id)), None
    )


@fault("past-end-names-latest-run", hook="payload")
@in_place
def _past_end_names_latest(window: Window, body: Body) -> None:
    if window.offset >= window.total > 0:
        body["data"]["runId"] = window.job.latest_run.id


@fault("unfiltered-has-next-page-job-wide", hook="window")
def _unfiltered_has_next_job_wide(ctx: Ctx, window: Window) -> Window:
    if ctx.cell is None or ctx.cell.run_filter != "unfiltered" or window.next_offset is not None:
        return window
    job_wide = sum(run.container_count for run in window.job.runs)
    if window.offset + window.limit >= job_wide:
        return window
    return dataclasses.replace(window, next_offset=window.offset + window.limit, has_next=True)
