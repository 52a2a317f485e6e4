"""What a check sees: the target's ids, the one client, the seed, and shared, memoised data.

Checks share requests through this object: :meth:`CheckContext.fetch` answers a repeated
request from memory and :meth:`CheckContext.walk` walks a run's pages once per (mode, run,
page size), so a default run stays within a small request budget. How one walk reads its pages
(and why it always ends) is :mod:`conformance.walker`.
"""

from __future__ import annotations

import contextlib
import math
import random
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from conformance.catalog import CHECKS, Check, Findings, NotRun
from conformance.matrix import Coverage
from conformance.spec import MAX_PER_PAGE
from conformance.target import Credential, Exchange, TargetClient, TargetSettings
from conformance.walker import Page, Walk, WalkMode, read_pages

Route = Literal["project", "team"]

SMALL_PER_PAGE = 7  # the largest page size of the small walks
SMALL_WALK_PAGES = 3  # how many pages a small walk reads at most
MAX_WALK_PAGES = 60  # a full walk stops here: 6,000 containers at per_page=100
DONE = ("SUCCESS", "FAILED")  # run statuses of GET .../runs that no longer change
RUNS_PAGES = 3  # pages of GET .../runs read at most, looking for a concluded run
LISTING_PATH = re.compile(r"^/v1(?:/teams/[^/]+)?/projects/[^/]+/jobs/[^/]+/containers/?$")


@dataclass
class Received:
    """What the run has received from the operation under test, kept small: counts, the error
    responses (short bodies), the container names, and each response check's findings."""

    listings: int = 0
    retried_429: int = 0  # 429s a retry resolved
    errors: list[Exchange] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # each name once, as its one copy
    findings: dict[str, Findings] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)  # listing pages per matrix cell
    runs: set[str] = field(default_factory=set)  # run ids known to be the job's


@dataclass
class Allowance:
    """Requests one part of the run's plan may send over the whole run, counted as sent (a
    retry counts): ``while allowance.left: with allowance.spending(): ...``."""

    client: TargetClient
    limit: int
    spent: int = 0

    @property
    def left(self) -> bool:
        return self.spent < self.limit

    @contextlib.contextmanager
    def spending(self) -> Iterator[None]:
        sent = self.client.requests_sent
        try:
            yield
        finally:
            self.spent += self.client.requests_sent - sent


@dataclass
class CheckContext:
    """What a check sees. Created before the run's first request: it judges every response."""

    client: TargetClient
    seed: int = 0
    cache: dict[Any, Any] = field(default_factory=dict)
    max_walk_pages: int = MAX_WALK_PAGES
    received: Received = field(default_factory=Received)
    _judging: tuple[int, list[Check]] | None = field(default=None, init=False, repr=False)
    _allowances: dict[str, Allowance] = field(default_factory=dict, init=False, repr=False)
    check_id: str | None = None  # the check running now (the runner sets it): who found what

    @property
    def settings(self) -> TargetSettings:
        return self.client.settings

    def allowance(self, name: str, limit: int) -> Allowance:
        """The run's one allowance called ``name`` (of ``limit`` requests, set when first asked)."""
        return self._allowances.setdefault(name, Allowance(self.client, limit))

    # --- paths ---------------------------------------------------------------------------------

    def containers_path(self, route: Route = "project", **overrides: str) -> str:
        """The path of the operation; ``overrides`` replace team_id, project_id or job_id."""
        ids = {
            "team_id": self.settings.team_id,
            "project_id": self.settings.project_id,
            "job_id": self.settings.job_id,
            **overrides,
        }
        tail = f"/projects/{ids['project_id']}/jobs/{ids['job_id']}/containers"
        if route == "team":
            if not ids["team_id"]:
                raise ValueError("the team route needs a team id")
            return f"/v1/teams/{ids['team_id']}{tail}"
        return f"/v1{tail}"

    def runs_path(self) -> str:
        return f"/v1/projects/{self.settings.project_id}/jobs/{self.settings.job_id}/runs"

    # --- memoised requests ---------------------------------------------------------------------

    def fetch(
        self,
        params: dict[str, Any] | None = None,
        *,
        route: Route = "project",
        credential: Credential = Credential.PRIMARY,
        path: str | None = None,
    ) -> Exchange:
        """GET once: the same path, query and credential are answered from memory afterwards."""
        query = {key: str(value) for key, value in (params or {}).items() if value is not None}
        target = path or self.containers_path(route)
        key = self._fetch_key(target, query, credential)
        if key not in self.cache:
            self.cache[key] = self.client.get(target, query, credential=credential)
        exchange: Exchange = self.cache[key]
        return exchange

    @staticmethod
    def _fetch_key(path: str, query: dict[str, str], credential: Credential) -> tuple[Any, ...]:
        return ("fetch", path, tuple(sorted(query.items())), credential)

    def _forget(self, exchange: Exchange) -> None:
        """Drop ``exchange`` from the memo (a later identical fetch asks the target again)."""
        key = self._fetch_key(exchange.path, exchange.params, exchange.credential)
        if self.cache.get(key) is exchange:
            del self.cache[key]

    def first_page(self) -> Page:
        """The listing as a caller without parameters sees it."""
        return Page.parse(self.fetch())

    def unknown_id(self, kind: str) -> str:
        """An id of ``kind`` the target cannot know, the same for every check of a run."""
        key = ("unknown_id", kind)
        if key not in self.cache:
            token = random.Random(f"{self.seed}:{kind}").getrandbits(64)  # noqa: S311 - not crypto
            self.cache[key] = f"nf-conformance-missing-{kind}-{token:016x}"
        value: str = self.cache[key]
        return value

    def unknown_run_id(self) -> str:
        """A well-formed run id (a UUID, like real ones) that names no run of the job."""
        key = ("unknown_id", "run-uuid")
        if key not in self.cache:
            bits = random.Random(f"{self.seed}:run").getrandbits(128)  # noqa: S311 - not crypto
            text = f"{bits:032x}"
            self.cache[key] = f"{text[:8]}-{text[8:12]}-4{text[13:16]}-8{text[17:20]}-{text[20:]}"
        value: str = self.cache[key]
        return value

    def baseline(self) -> None:
        """The few requests every response-level check may look at: listings and auth errors.

        The run then plans its probes of the path matrix (conformance.probes.plan).
        """
        self.fetch()
        for credential in (Credential.NONE, Credential.MALFORMED, Credential.UNKNOWN):
            self.fetch(credential=credential)
        self.run_listing(self.walk_run_id())  # a full page of the walk run

    # --- runs ----------------------------------------------------------------------------------

    def run_records(self) -> list[dict[str, Any]]:
        """The job's runs, newest first, from ``GET .../jobs/{jobId}/runs``: its first page, and
        the next ones (up to RUNS_PAGES, as the clients walk: cursor, else page + 1) while no
        concluded run but the newest is found, so the walks need not settle for a running run."""
        records, pagination = self._runs_page({})
        if not records:
            raise NotRun("the job has no runs")
        for number in range(2, RUNS_PAGES + 1):
            if any(_concluded(r) for r in records[1:]) or not pagination.get("hasNextPage"):
                break
            cursor = pagination.get("cursor")
            params = {"cursor": cursor} if isinstance(cursor, str) and cursor else {"page": number}
            try:
                more, pagination = self._runs_page(params)
            except NotRun:
                break  # a later page that cannot be read: the first pages are what there is
            known = {r["id"] for r in records}
            if all(r["id"] in known for r in more):
                break  # an empty or repeated page: the runs list ends (or loops) here
            records += [r for r in more if r["id"] not in known]
        self.received.runs.update(str(record["id"]) for record in records)
        return records

    def _runs_page(self, params: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One page of the runs list: its run records and its pagination object (or {})."""
        exchange = self.fetch(params, path=self.runs_path())
        body = exchange.json
        if exchange.status != 200:
            raise NotRun(
                f"the job's runs cannot be read (GET {exchange.path} answered {exchange.status}); "
                "the token needs Project > Jobs > General > Read"
            )
        runs = body.get("data", {}).get("runs") if isinstance(body, dict) else None
        if not isinstance(runs, list):
            raise NotRun(f"GET {exchange.path} answered no data.runs list")
        pagination = body.get("pagination")
        records = [r for r in runs if isinstance(r, dict) and isinstance(r.get("id"), str)]
        return records, pagination if isinstance(pagination, dict) else {}

    def runs(self) -> list[str]:
        """The job's run ids, newest first."""
        return [str(record["id"]) for record in self.run_records()]

    def walk_run_id(self) -> str:
        """The run the walks read: --run-id, else the newest concluded run that is not the job's
        latest (a concluded run does not change between requests, and a runId filter that falls
        back to the latest run shows only on another run), else the newest concluded run, else
        the latest run."""
        if self.settings.run_id:
            return self.settings.run_id
        try:
            records = self.run_records()
        except NotRun:
            run_id = self.first_page().run_id
        else:
            settled = [r for r in records if _concluded(r)]
            older = [r for r in settled if r is not records[0]]
            run_id = (older or settled or records)[0]["id"]
        if isinstance(run_id, str) and run_id:
            return run_id
        raise NotRun("no run to walk: pass --run-id, or let the token read the job's runs")

    # --- walks ---------------------------------------------------------------------------------

    def walk(
        self,
        mode: WalkMode,
        run_id: str | None,
        per_page: int | None,
        *,
        limit: int | None = None,
        route: Route = "project",
    ) -> Walk:
        """Read a run's pages (memoised); ``limit`` pages at most, else to the end or the cap.

        ``run_id`` None walks the listing without runId. A listing one walk found endless (its
        page cap reached) is not walked to the cap again: another walk to its end is NotRun,
        naming the walk and check that found it.
        """
        key = ("walk", mode, run_id, per_page, limit, route)
        if key not in self.cache:
            if limit is None and (found := self.endless_listing(run_id)) is not None:
                raise NotRun(f"not walked again: {found}")
            walked = self._walk(Walk(mode, run_id, per_page, limit, route=route))
            if walked.outcome == "cap":
                finder = f"{self.check_id}'s " if self.check_id else ""
                self.cache.setdefault(
                    ("endless", run_id),
                    f"the listing is endless: {finder}{walked.describe()} found {walked.problem}",
                )
            self.cache[key] = walked
        walk: Walk = self.cache[key]
        return walk

    def walks(self) -> list[Walk]:
        """Every walk made so far in this run (the probes reuse their pages)."""
        return [value for value in self.cache.values() if isinstance(value, Walk)]

    def endless_listing(self, run_id: str | None) -> str | None:
        """Why the listing of ``run_id`` is known endless (a walk reached its cap), or None."""
        found: str | None = self.cache.get(("endless", run_id))
        return found

    def any_endless_listing(self) -> str | None:
        """Why some listing of this target is known to be endless, or None."""
        found = (v for k, v in self.cache.items() if isinstance(k, tuple) and k[0] == "endless")
        return next(found, None)

    def _walk(self, walk: Walk) -> Walk:
        route: Route = "team" if walk.route == "team" else "project"

        def read(params: dict[str, Any]) -> Page:
            return self._shared_names(Page.parse(self.fetch(params, route=route)))

        return read_pages(walk, read, self._without_body, self.max_walk_pages)

    def _shared_names(self, page: Page) -> Page:
        """The page with the run's one copy of each name, so walks of one run share them."""
        known = self.received.names
        return replace(page, names=tuple(known.get(name, name) for name in page.names))

    def _without_body(self, page: Page) -> Page:
        """A walk's page once judged: its names and pagination stay, its body goes."""
        self._forget(page.exchange)
        return page.without_body()

    def full_walk(self, mode: WalkMode) -> Walk:
        """The walk run at the largest page size, to the end."""
        return self.walk(mode, self.walk_run_id(), MAX_PER_PAGE)

    def run_size(self) -> int:
        """How many containers the walk run holds (at least what its first page shows)."""
        walk = self.full_walk("cursor")
        if walk.complete:
            return len(walk.names)
        return max((page.items for page in walk.pages[:1]), default=0)

    def small_per_page(self) -> int:
        """A page size giving the walk run several pages; NotRun when it has too few items."""
        size = self.run_size()
        if size < 2:
            raise NotRun(
                f"run {self.walk_run_id()!r} has {size} container(s); a multi-page walk needs at "
                "least 2 (pass --run-id with a run that has several)"
            )
        return min(SMALL_PER_PAGE, math.ceil(size / SMALL_WALK_PAGES))

    def small_walk(self, mode: WalkMode) -> Walk:
        """The walk run at a small page size, its first few pages only."""
        return self.walk(mode, self.walk_run_id(), self.small_per_page(), limit=SMALL_WALK_PAGES)

    def other_runs(self, limit: int = 2) -> list[str]:
        """Up to ``limit`` runs of the job other than the walk run (newest first)."""
        walked = self.walk_run_id()
        try:
            candidates = self.runs()
        except NotRun:
            candidates = [self.first_page().run_id]
        others = [run for run in candidates if isinstance(run, str) and run and run != walked]
        return others[:limit]

    def run_listing(self, run_id: str) -> Page:
        """The first page of a run at the largest page size (shared with that run's walks)."""
        return Page.parse(self.fetch({"per_page": MAX_PER_PAGE, "runId": run_id}))

    # --- what the run has received ----------------------------------------------------------

    def __post_init__(self) -> None:
        self.client.observers.append(self._observe)
        if self.settings.run_id:
            self.received.runs.add(self.settings.run_id)

    def _observe(self, exchange: Exchange) -> None:
        """Judge each response of the operation under test as it arrives (see catalog.Findings)."""
        if exchange.method != "GET" or not LISTING_PATH.match(exchange.path):
            return
        received = self.received
        received.listings += 1
        received.retried_429 += exchange.retried_statuses.count(429)
        if exchange.status is not None and exchange.status >= 400:
            received.errors.append(exchange)
        page = Page.parse(exchange)
        if page.readable:
            for name in page.names:
                received.names.setdefault(name, name)
            received.coverage.add(page)
        self._judge(page)

    def _judge(self, page: Page) -> None:
        """Every response check's verdict on ``page``, as it arrives."""
        for check in self._response_checks():
            problem = check.judge(self, page)
            if problem is not None:
                self.findings(check.id).add(page.exchange, problem)

    def _response_checks(self) -> list[Check]:
        """The registered response checks (registration order), computed once per run."""
        if self._judging is None or len(CHECKS) != self._judging[0]:
            checks = [check for check in CHECKS.values() if check.each is not None]
            self._judging = (len(CHECKS), checks)
        return self._judging[1]

    def findings(self, check_id: str) -> Findings:
        """What response check ``check_id`` has found in every response so far."""
        return self.received.findings.setdefault(check_id, Findings())

    def listing_errors(self) -> list[Exchange]:
        """Every response of the operation under test with a 4xx or 5xx status (either route)."""
        return list(self.received.errors)

    def known_names(self) -> AbstractSet[str]:
        """Every container name any successful listing of the run has shown."""
        return self.received.names.keys()


def _concluded(record: dict[str, Any]) -> bool:
    """Whether a run record of GET .../runs says the run no longer changes."""
    return record.get("concluded") is True or record.get("status") in DONE
