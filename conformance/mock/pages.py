"""What a 200 lists: the selected run, its window, and the bodies of both list routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from conformance.mock import cursor
from conformance.mock.fixture import Job
from conformance.mock.model import Body, Query, Selection, Window

Wrap = Callable[[str], str]  # a cursor as issued -> the text sent (a fault may rewrite)


def select(job: Job, query: Query) -> Selection | None:
    """The run a containers query lists: the cursor's, runId's or the latest; None: no such run."""
    if query.cursor is not None:
        run = job.runs[query.cursor.run_index]
    elif query.run_id is not None:
        found = job.run(query.run_id)
        if found is None:
            return None
        run = found
    else:
        run = job.latest_run
    return Selection(run, run.id)


def window(job: Job, job_index: int, query: Query, selection: Selection) -> Window:
    """The slice of the selected run this page lists."""
    if query.cursor is not None:
        per_page, offset = query.cursor.per_page, query.cursor.offset
    else:
        per_page, offset = query.per_page, (query.page - 1) * query.per_page
    run = selection.run
    has_next = offset + per_page < run.container_count
    return Window(
        job=job,
        job_index=job_index,
        run=run,
        run_index=[r.id for r in job.runs].index(run.id),  # the run a hook may have changed
        echo_run_id=selection.echo_run_id,
        per_page=per_page,
        offset=offset,
        limit=per_page,
        next_offset=offset + per_page if has_next else None,
        has_next=has_next,
    )


def containers_body(window: Window, wrap: Wrap) -> Body:
    """The containers list's body for ``window``, with the next cursor unless it is the last."""
    items = window.items()
    pagination: Body = {"hasNextPage": window.has_next, "count": len(items)}
    if (next_offset := window.next_offset) is not None:
        w = window
        state = cursor.CursorState("containers", w.job_index, w.run_index, w.per_page, 0)
        state = replace(state, offset=next_offset)
        pagination["cursor"] = wrap(cursor.encode(state))
    return {
        "data": {
            "containers": [item.as_json() for item in items],
            "runId": window.echo_run_id,
        },
        "pagination": pagination,
    }


def runs_body(job: Job, job_index: int, per_page: int, offset: int) -> Body:
    """The runs list's body: ``per_page`` runs from ``offset``, newest first."""
    runs = job.runs[offset : offset + per_page] if offset < len(job.runs) else ()
    pagination: Body = {"hasNextPage": offset + per_page < len(job.runs), "count": len(runs)}
    if pagination["hasNextPage"]:
        next_offset = offset + per_page
        state = cursor.CursorState("runs", job_index, cursor.RUNS_LIST, per_page, next_offset)
        pagination["cursor"] = cursor.encode(state)
    return {"data": {"runs": [run.as_json() for run in runs]}, "pagination": pagination}
