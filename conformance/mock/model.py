"""The values the mock's request pipeline passes along, and that fault hooks may change.

The pipeline (pipeline.py), in order: rate limit -> route -> method -> authenticate -> resolve
the job -> permission -> parse the query -> select the run -> window -> payload -> response. Each
step's value is one of these types; faults/ rewrites them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from conformance.mock.cursor import CursorState
from conformance.mock.fixture import Container, Fixture, Job, Run

RouteKind = Literal["containers", "runs", "none"]
Fallback = Literal["reject", "clamp", "default"]  # what a conformant server does with a bad value
Body = dict[str, Any]


class Access(enum.Enum):
    """What a request's credentials allow."""

    GRANTED = "granted"
    RESTRICTED = "restricted"  # a valid token without the permission
    UNAUTHENTICATED = "unauthenticated"  # missing, malformed or unknown


class ApiError(Exception):
    """An error answer, rendered as ``{"error": {"status", "message", "id"}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        id: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.id = id
        self.details = details
        self.headers = dict(headers or {})

    def body(self) -> Body:
        error: Body = {"status": self.status, "message": self.message, "id": self.id}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


@dataclass(frozen=True)
class RequestCell:
    """Where a containers request lies in the path matrix (what a fault's scope matches).

    ``size`` is None when per_page is no valid page size, ``access`` None when page is no
    valid page number; ``positions`` is empty when the clean mock would not answer 200.
    """

    route: str  # project | team
    run_filter: str  # unfiltered | runId
    access: str | None  # plain | cursor | page
    size: str | None  # small | default | max
    positions: frozenset[str]  # of first, middle, last, past-end, empty


@dataclass(frozen=True)
class Ctx:
    """One request as the pipeline sees it."""

    fixture: Fixture
    method: str
    path: str
    route: RouteKind
    team_route: bool
    params: dict[str, str]  # path parameters: teamId, projectId, jobId
    authorization: str | None
    sequence: int  # this is the app's n-th request (1-based)
    tokens: tuple[str, str]  # (full, restricted)
    cell: RequestCell | None = None  # a containers request's matrix cell (faults/scope.py)


@dataclass(frozen=True)
class Limits:
    """Query parameter rules.

    ``per_page_fallback`` and ``page_fallback`` are the choices the documentation leaves open
    for an invalid value (conformant either way, see ../configurations.py): ``reject`` (400),
    ``clamp`` (into range; not a number: the default) or ``default`` (the default page size,
    the first page). ``strict=False`` is a fault's: every invalid value falls back, a malformed
    cursor included, and per_page above the maximum is honoured.
    """

    default_per_page: int = 50
    max_per_page: int = 100
    strict: bool = True
    per_page_fallback: Fallback = "reject"
    page_fallback: Fallback = "reject"


@dataclass(frozen=True)
class Query:
    """A parsed, valid query. ``cursor`` is decoded; it wins over ``page`` and ``per_page``."""

    per_page: int
    page: int
    cursor: CursorState | None
    run_id: str | None


@dataclass(frozen=True)
class Selection:
    """Whose containers are listed, and which run id the body names."""

    run: Run
    echo_run_id: str


@dataclass(frozen=True)
class Window:
    """The slice of a run one response lists."""

    job: Job
    job_index: int
    run: Run
    run_index: int
    echo_run_id: str
    per_page: int  # the page size the next cursor carries
    offset: int
    limit: int  # how many items to take from ``offset``
    next_offset: int | None  # None: this is the last page
    has_next: bool
    order: Callable[[int, int], int] | None = field(default=None)  # (position, total) -> index

    @property
    def total(self) -> int:
        return self.run.container_count

    def items(self) -> list[Container]:
        stop = min(self.total, self.offset + max(self.limit, 0))
        positions = range(max(self.offset, 0), max(stop, 0))
        if self.order is None:
            return self.run.page(self.offset, self.limit)
        return [self.run.container(self.order(position, self.total)) for position in positions]
