"""Reading the query string: page size, page number, cursor and runId, each validated (400).

With ``Limits(strict=False)`` (a fault's choice) invalid values fall back instead of a 400;
``Limits.per_page_fallback`` and ``page_fallback`` are a conformant server's choices for an
invalid per_page or page (reject, clamp or default), which the documentation leaves open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from starlette.datastructures import QueryParams

from conformance.mock import cursor
from conformance.mock.errors import bad_request, shown
from conformance.mock.fixture import Job
from conformance.mock.model import Fallback, Limits, Query

Unwrap = Callable[[str], str]  # a cursor as received -> the text to decode (a fault may rewrite)

_INTEGER = re.compile(r"[0-9]+")
_HUGE = 10**30  # any larger page or per_page is as far past the end; keeps int() cheap


def parse_query(
    raw: QueryParams, limits: Limits, job: Job, job_index: int, unwrap: Unwrap
) -> Query:
    """The containers list's query: per_page, page, cursor and runId."""
    values = single_values(raw, ("per_page", "page", "cursor", "runId"), limits)
    per_page = integer(
        values,
        "per_page",
        limits.default_per_page,
        1,
        limits.max_per_page,
        limits,
        fallback=limits.per_page_fallback,
    )
    page = integer(values, "page", 1, 1, None, limits, fallback=limits.page_fallback)
    run_id = values.get("runId")
    if run_id is not None and not run_id.strip():
        if limits.strict:
            raise bad_request("runId", "runId must be a job run id, not empty")
        run_id = None
    state = None
    if (text := values.get("cursor")) is not None:
        state = read_cursor(text, "containers", job, job_index, limits, unwrap)
        if state is not None and run_id is not None:
            issued_for = job.runs[state.run_index].id
            if run_id != issued_for and limits.strict:
                message = f"The cursor was issued for runId {issued_for!r}"
                raise bad_request("cursor", f"{message}, not {shown(run_id)}")
    return Query(per_page=per_page, page=page, cursor=state, run_id=run_id)


def parse_runs_query(raw: QueryParams, job: Job, job_index: int, unwrap: Unwrap) -> tuple[int, int]:
    """The runs list's query, as ``(per_page, offset)``; a cursor wins over page and per_page."""
    limits = Limits()
    values = single_values(raw, ("per_page", "page", "cursor"), limits)
    per_page = integer(values, "per_page", limits.default_per_page, 1, 100, limits)
    offset = (integer(values, "page", 1, 1, None, limits) - 1) * per_page
    if (text := values.get("cursor")) is not None:
        state = read_cursor(text, "runs", job, job_index, limits, unwrap)
        if state is not None:
            per_page, offset = state.per_page, state.offset
    return per_page, offset


def read_cursor(
    text: str, kind: str, job: Job, job_index: int, limits: Limits, unwrap: Unwrap
) -> cursor.CursorState | None:
    """A cursor the ``kind`` list of job ``job_index`` issued; else 400 (None when not strict)."""
    try:
        state = cursor.decode(unwrap(text))
    except cursor.InvalidCursor:
        state = None
    valid = (
        state is not None
        and state.kind == kind
        and state.job_index == job_index
        and (kind == "runs" or state.run_index < len(job.runs))
        and state.per_page >= 1
    )
    if valid:
        return state
    if limits.strict:
        raise bad_request(
            "cursor", f"Malformed cursor {shown(text)}: pass back a cursor as received"
        )
    return None


def single_values(raw: QueryParams, names: Iterable[str], limits: Limits) -> dict[str, str]:
    """The last value of each of ``names``; given more than once is a 400 when strict."""
    values: dict[str, str] = {}
    for name in names:
        given = raw.getlist(name)
        if len(given) > 1 and limits.strict:
            raise bad_request(name, f"{name} was given {len(given)} times; give it once")
        if given:
            values[name] = given[-1]
    return values


def integer(
    values: dict[str, str],
    name: str,
    default: int,
    low: int,
    high: int | None,
    limits: Limits,
    *,
    fallback: Fallback = "reject",
) -> int:
    """``values[name]`` as a decimal integer in ``[low, high]``; ``default`` when absent.

    An invalid value is a 400, unless ``fallback`` says otherwise: ``clamp`` (into the range;
    ``default`` when not a number) or ``default``.
    """
    text = values.get(name)
    if text is None:
        return default
    number = None
    if _INTEGER.fullmatch(text):
        digits = text.lstrip("0") or "0"
        number = int(digits) if len(digits) <= 30 else _HUGE
    if number is not None and number >= low and (high is None or number <= high):
        return number
    if not limits.strict:
        return default if number is None else max(number, low)
    if fallback == "clamp" and number is not None:
        return max(number, low) if high is None else min(max(number, low), high)
    if fallback in ("clamp", "default"):
        return default
    bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
    raise bad_request(name, f"{name} must be an integer {bounds}, got {shown(text)}")
