"""The mutation matrix: every fault of the mock, everywhere and in each cell of the path matrix.

A mutant is a fault of ``conformance/mock/faults/`` scoped to one value of one dimension of
the path matrix (``count-is-total@team``, ``page-ignored@last``; see faults/scope.py), or not
scoped at all. Each mutant first replays the clean run's requests against the mock with and
without it: when no response differs, the run cannot tell them apart and the mutant is
*equivalent* (it changes nothing this run asks for; not counted). Otherwise the hand-written
checks run against it: *killed* when a check fails (or, below MUST, warns), else *survived*.
Every survivor needs a reason in :data:`SURVIVORS` (a documented gap), never silently.

``python -m conformance.mutation --write`` runs the whole matrix (in parallel, a few minutes)
and writes reports/mutation/matrix.json, from which conformance/docs.py renders the README's
kill rate and survivors; ``--check`` fails when that file is stale, a survivor has no reason
or fewer than :data:`GOAL` of the mutants are killed (the ``mutation`` nox session).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from conformance.catalog import CHECKS, Check, Level
from conformance.matrix import CELLS, Cell
from conformance.mock.model import RequestCell
from conformance.options import RunOptions, mock_target
from conformance.results import RunResult
from conformance.runner import execute, load_checks

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "reports" / "mutation" / "matrix.json"
SEED = 1
GOAL = 0.98
PROGRESS_EVERY = 250  # mutants between progress lines
IGNORED_HEADERS = frozenset({"x-ratelimit-reset", "retry-after"})  # clock-dependent

# Faults that need more than the fault itself to show: the mock's rate limit must be enforced,
# and the client must keep sending after x-ratelimit-remaining reaches 0 (as on a busy account).
# The limit is reached at the first request in the mutant's scope (unscoped: the 31st), so the
# first answer the fault can disguise is one it may disguise.
FAULT_SETUP: dict[str, dict[str, Any]] = {
    "rate-limit-as-403": {"limit_at_scope": 30, "settings": {"min_ratelimit_remaining": 0}},
}
# Scopes whose cells the default mock has no listing for: an empty listing needs an empty run.
SCOPE_SETUP: dict[str, dict[str, Any]] = {"empty": {"containers": 0}}

# Survivors: mutants the run cannot kill, and why (a documented gap, shown in the README).
_NOT_FOUND = (
    "not-found-as-400 breaks REQ-HTTP-404 for unknown project, job and team ids, which the run "
    "asks for without {what}; in this scope only an unknown run id answers 400, a choice the "
    "documentation leaves open (NF-RUN-006 and NF-RUN-008 accept any 4xx for a run the job "
    "does not have)"
)
_RUNNING = (
    "the listing without runId lists the job's latest run, which may still be running (the "
    "mock's is): its pages may shift between two requests, so the probe follows a cursor issued "
    "on another code path only on a run's listing (runId), and no walk of the unfiltered listing "
    "goes past its second page"
)
_PAGE_THREE = (
    "the probe reads two pages by cursor; the cursor of page 2 (a middle page) is followed only "
    "when page 3 is the last, held by number to compare (N = 3); the full cursor walks are the "
    "walk run's on the project route (per_page 7 and 100), and reading page 3 on every listing "
    "would take the default live run past 150 requests"
)
LARGER = ("default", "max")  # page sizes above the small walks'
_ORDER = (
    "an unstable order breaks REQ-PAG-STABLE-ORDER, a SHOULD: NF-PAG-012 repeats the walk run's "
    "first pages only, and elsewhere containers are compared as sets (the documentation "
    "promises no order) or, on a listing that may still be changing, a difference counts only "
    "when the listing stood still around the other answer (asked again: the page, the other, "
    "the page again), and this fault reorders each answer anew"
)
SURVIVORS: dict[str, str] = {
    "not-found-as-400@max": _NOT_FOUND.format(what="per_page"),
    **{
        f"{fault}@{route},unfiltered,{cell}": _RUNNING
        for fault in ("overlapping-pages", "skipped-items")
        for route in ("project", "team")
        for cell in ("cursor,small,middle", "page,small,first")
    },
    **{
        f"{fault}@{route},runId,cursor,{size},middle": _PAGE_THREE
        for fault in ("overlapping-pages", "skipped-items")
        for route, size in (("project", "default"), ("team", "default"), ("team", "small"))
    },
    **{
        f"unstable-order@{scope}": _ORDER
        for scope in (
            "unfiltered",
            "project,runId,plain,max,last",
            "team,unfiltered,cursor,small,middle",
            "team,unfiltered,cursor,small,last",
            "team,unfiltered,plain,small,first",
            *(
                f"team,unfiltered,plain,{size},{end}"
                for size in LARGER
                for end in ("first", "last")
            ),
            *(
                f"team,unfiltered,page,{size},{position}"
                for size, position in (
                    ("small", "first"),
                    ("small", "middle"),
                    ("small", "last"),
                    ("default", "first"),
                    ("default", "last"),
                    ("max", "first"),
                    ("max", "last"),
                )
            ),
        )
    },
}


def hand_written() -> list[Check]:
    """The checks proven against the mock's faults (NF-<AREA>-001..099)."""
    load_checks()
    return sorted(
        (check for check in CHECKS.values() if int(check.id.rsplit("-", 1)[1]) < 100),
        key=lambda check: check.id,
    )


def _split(spec: str) -> tuple[str, str]:
    name, _, scope = spec.partition("@")
    return name, scope


def _fixture_key(scope: str) -> str:
    """Which fixture a scope needs: a key of SCOPE_SETUP, or "" for the default one."""
    return next((value for value in scope.split(",") if value in SCOPE_SETUP), "")


def _target(spec: str | None, *, clean: bool = False, fixture: str | None = None) -> Any:
    from conformance.mock.fixture import Fixture

    name, scope = _split(spec or "")
    setup = FAULT_SETUP.get(name, {})
    app_options: dict[str, Any] = {}
    key = _fixture_key(scope) if fixture is None else fixture
    if key:
        app_options["fixture"] = Fixture.default(**SCOPE_SETUP[key])
    if "limit_at_scope" in setup:
        limit = _first_in_scope(scope, key) if scope else setup["limit_at_scope"]
        app_options["rate_limit"] = limit
    faults = [spec] if spec and not clean else []
    target = mock_target(RunOptions(), faults=faults, **app_options)
    target.settings = dataclasses.replace(target.settings, **setup.get("settings", {}))
    return target


def fault_run(fault: str | None) -> RunResult:
    """The hand-written checks against the mock with ``fault`` (None: the clean mock)."""
    return execute(_target(fault), hand_written(), seed=SEED)


def flagged(result: RunResult, requirement: str | None = None) -> list[str]:
    """The checks that tell the user: failed, or warned when the check is below MUST, or when
    the fault breaks a requirement below MUST (then a warning is all a fair check can give; the
    same rule as the README's mutation table, conformance.docs.catching)."""
    from conformance.spec import requirements

    below_must = requirement is not None and requirements()[requirement].level != Level.MUST
    return sorted(
        check.id
        for check in result.checks
        if check.status == "failed"
        or (check.status == "warned" and (below_must or check.level != Level.MUST))
    )


# --- equivalence: replaying the clean run's requests ---------------------------------------


class _Recorder:
    """An ASGI wrapper that notes every HTTP request (method, path, query, headers)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append(
                {key: scope[key] for key in ("method", "path", "query_string", "headers")}
            )
        await self.app(scope, receive, send)


def _scope(request: dict[str, Any]) -> dict[str, Any]:
    """The ASGI scope of a recorded request."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1234),
        "root_path": "",
        "raw_path": request["path"].encode(),
        **request,
    }


async def _answer(app: Any, request: dict[str, Any]) -> tuple[Any, ...]:
    scope = _scope(request)
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    status: Any = None
    headers: tuple[Any, ...] = ()
    body = b""
    for message in messages:
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = tuple(
                sorted((k, v) for k, v in message.get("headers", []) if k not in _IGNORED)
            )
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")
    return (status, headers, body)


_IGNORED = frozenset(name.encode() for name in IGNORED_HEADERS)


def changed_responses(spec: str, requests: Sequence[dict[str, Any]]) -> int:
    """How many of ``requests`` the mutant answers differently from the clean mock."""
    return len(_changed(spec, requests))


def _changed(
    spec: str, requests: Sequence[dict[str, Any]], fixture: str | None = None
) -> list[int]:
    """The indices of ``requests`` the mutant answers differently from the clean mock."""

    async def compare() -> list[int]:
        clean = _target(spec, clean=True, fixture=fixture).app
        faulty = _target(spec, fixture=fixture).app
        return [
            index
            for index, request in enumerate(requests)
            if await _answer(clean, request) != await _answer(faulty, request)
        ]

    return asyncio.run(compare())


@dataclasses.dataclass(frozen=True)
class CleanRun:
    """The requests of the clean run on one fixture, and the matrix cell of each."""

    requests: list[dict[str, Any]]
    cells: list[RequestCell | None]


_CLEAN: dict[str, CleanRun] = {}


def clean_run(fixture: str) -> CleanRun:
    """The clean run on ``fixture`` (a key of SCOPE_SETUP, or "" for the default one)."""
    if fixture not in _CLEAN:
        target = _target(f"x@{fixture}" if fixture else None, clean=True)
        server = target.app.state.mock
        recorder = _Recorder(target.app)
        target.app = recorder
        execute(target, hand_written(), seed=SEED)
        cells = [server.cell_of(_scope(request)) for request in recorder.requests]
        _CLEAN[fixture] = CleanRun(recorder.requests, cells)
    return _CLEAN[fixture]


def clean_requests(scope: str) -> list[dict[str, Any]]:
    """The requests of the clean run (with the fixture ``scope`` needs)."""
    return clean_run(_fixture_key(scope)).requests


def _first_in_scope(scope: str, fixture: str) -> int:
    """The index of the clean run's first request in ``scope`` (past the last: none is)."""
    from conformance.mock.faults.scope import parse_scope

    wanted = parse_scope(scope, scope)
    cells = clean_run(fixture).cells
    return next(
        (index for index, cell in enumerate(cells) if cell is not None and wanted.holds(cell)),
        len(cells),
    )


# --- the matrix -------------------------------------------------------------------------------


def scoped_mutants() -> list[str]:
    """Every fault unscoped, then scoped to each value of each dimension of the path matrix."""
    from conformance.mock.faults import FAULTS
    from conformance.mock.faults.scope import SCOPE_NAMES

    return [
        name if not scope else f"{name}@{scope}" for name in FAULTS for scope in ("", *SCOPE_NAMES)
    ]


def cell_scope(cell: Cell) -> str:
    """The scope that is exactly ``cell`` (``team,runId,cursor,small,middle``)."""
    return ",".join((cell.route, cell.run_filter, cell.access, cell.size, cell.position))


def _cells_of(found: RequestCell | None) -> list[Cell]:
    if found is None or found.access is None or found.size is None:
        return []
    return [
        Cell(found.route, found.run_filter, found.access, found.size, position)  # type: ignore[arg-type]
        for position in sorted(found.positions)
    ]


def applicable_cells(name: str) -> list[Cell]:
    """The cells of the path matrix the fault ``name`` can apply to, in matrix order: those in
    which, unscoped, it answers some request of the clean run differently (a fault scoped to a
    cell changes the answers in that cell and nothing else, faults/scope.py). A fault set up
    by its scope (FAULT_SETUP ``limit_at_scope``) applies to every cell the clean run reaches.
    Each cell is taken from the clean run on the fixture it needs (an empty listing: an empty
    run, SCOPE_SETUP)."""
    touched: set[Cell] = set()
    for fixture in ("", *SCOPE_SETUP):
        run = clean_run(fixture)
        if "limit_at_scope" in FAULT_SETUP.get(name, {}):
            indices: Iterable[int] = range(len(run.requests))
        else:
            indices = _changed(name, run.requests, fixture=fixture)
        touched.update(
            cell
            for index in indices
            for cell in _cells_of(run.cells[index])
            if _fixture_key(cell_scope(cell)) == fixture
        )
    return [cell for cell in CELLS if cell in touched]


def cell_mutants() -> list[str]:
    """Every fault in every cell of the path matrix it can apply to (:func:`applicable_cells`)."""
    from conformance.mock.faults import FAULTS

    return [f"{name}@{cell_scope(cell)}" for name in FAULTS for cell in applicable_cells(name)]


def mutants() -> list[str]:
    """The whole matrix: :func:`scoped_mutants`, then :func:`cell_mutants`."""
    return [*scoped_mutants(), *cell_mutants()]


def run_mutant(spec: str) -> dict[str, Any]:
    """One mutant's outcome: equivalent, killed (by which checks) or survived."""
    changed = changed_responses(spec, clean_requests(_split(spec)[1]))
    if not changed:
        return {"mutant": spec, "status": "equivalent", "changed": 0, "caught_by": []}
    from conformance.mock.faults import FAULTS

    caught = flagged(fault_run(spec), FAULTS[_split(spec)[0]].requirement)
    status = "killed" if caught else "survived"
    return {"mutant": spec, "status": status, "changed": changed, "caught_by": caught}


def run_matrix(specs: Iterable[str], processes: int | None = None) -> list[dict[str, Any]]:
    specs = list(specs)
    workers = processes or min(2, os.cpu_count() or 1)
    if workers <= 1:
        return [run_mutant(spec) for spec in specs]
    outcomes: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for outcome in pool.map(run_mutant, specs, chunksize=4):
            outcomes.append(outcome)
            if len(outcomes) % PROGRESS_EVERY == 0:  # a CI log is never silent for minutes
                print(f"mutation matrix: {len(outcomes)} of {len(specs)}", file=sys.stderr)
    return outcomes


def summary(outcomes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    counts = {status: 0 for status in ("killed", "survived", "equivalent")}
    for outcome in outcomes:
        counts[outcome["status"]] += 1
    live = counts["killed"] + counts["survived"]
    return {
        **counts,
        "mutants": len(outcomes),
        "kill_rate": counts["killed"] / live if live else 1.0,
    }


def load_results(path: Path = RESULTS) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def as_document(outcomes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"summary": summary(outcomes), "mutants": list(outcomes)}


def problems(document: dict[str, Any]) -> list[str]:
    """What makes a matrix result unacceptable: undocumented survivors, a low kill rate."""
    found = []
    for outcome in document["mutants"]:
        if outcome["status"] == "survived" and outcome["mutant"] not in SURVIVORS:
            found.append(f"{outcome['mutant']} survives with no reason in SURVIVORS")
    rate = document["summary"]["kill_rate"]
    if rate < GOAL:
        found.append(f"kill rate {rate:.1%} is below the goal of {GOAL:.0%}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.mutation", description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help=f"rewrite {RESULTS.name}")
    action.add_argument("--check", action="store_true", help="exit 1 if it is stale or failing")
    parser.add_argument("--processes", type=int, default=None, help="parallel runs (default 2)")
    args = parser.parse_args(argv)
    document = as_document(run_matrix(mutants(), args.processes))
    text = json.dumps(document, indent=1) + "\n"
    found = problems(document)
    print(json.dumps(document["summary"]))
    for problem in found:
        print(f"problem: {problem}")
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS}")
    elif args.check:
        current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        if current != text:
            print(f"{RESULTS} is stale: run python -m conformance.mutation --write")
            return 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
