# ruff: noqa: S324, RUF005
"""Blind test servers for the List job containers conformance suite.

Written only from the documentation (list-job-containers.txt and northflank-api-notes.md),
without reading the suite's source. One small framework, many switches: each named server
in SERVERS is a Config. Conformant servers differ in the choices the documentation leaves
open; buggy servers carry one realistic bug on one code path; hostile servers misbehave at
the HTTP level.

Run one by hand:  python -m tests.blind.servers NAME [PORT]
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import email.utils
import gzip
import hashlib
import hmac
import json
import os
import re
import socket
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "nf-blind-good-token-7f3a9c1d"
RESTRICTED = "nf-blind-restricted-token-2b8e44"
PROJECT = "blind-proj"
JOB = "blind-job"
TEAM = "blind-team"
STATUSES = [
    "TASK_RUNNING",
    "TASK_STARTING",
    "TASK_STAGING",
    "TASK_KILLING",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_FINISHED",
]


@dataclasses.dataclass
class Run:
    id: str
    status: str  # SUCCESS | RUNNING | FAILED
    started: int
    containers: list[dict[str, Any]]


@dataclasses.dataclass
class Config:
    name: str
    kind: str = "conformant"  # conformant | buggy | hostile
    doc: str = ""
    # fixture: list of (container count, run status), newest run first
    runs: tuple[tuple[int, str], ...] = ((37, "SUCCESS"), (12, "SUCCESS"), (5, "FAILED"))
    cursor: str = "b64json"  # b64json | offset | signed | uuid | hex24
    order: str = "newest"  # newest | oldest | name
    bad_per_page: str = "400"  # 400 | 422 | clamp | default
    bad_page: str = "400"  # 400 | first
    unknown_run: str = "404"  # 404 | empty
    hide_forbidden: bool = False  # restricted token gets 404 instead of 403
    error_extras: bool = False
    extra_fields: bool = False
    keep_alive: bool = True
    chunked: bool = False
    gzip: bool = False
    etag: bool = False
    ratelimit: bool = True
    delay: float = 0.0
    byoc: bool = False
    bug: str = ""  # one named bug, see ListingCore
    hostile: str = ""  # one named hostile behaviour, see Handler
    redirect_to: str = ""  # for hostile=redirect
    uvicorn: bool = False
    runs_endpoint: bool = True  # the undocumented .../runs listing
    omit_empty_containers: bool = False  # data.containers is optional: left out when empty
    strict_query: bool = False  # unknown query parameters -> 400 (Joi-style validation)
    # round 2 switches (all off by default: round 1 servers are unchanged)
    cursor_owns_query: bool = False  # with a cursor, per_page/runId of the query are ignored
    runs_cursor: bool = False  # the .../runs listing also issues and accepts cursors
    burst_429_every: int = 0  # every Nth containers request: 429 + Retry-After (HTTP-date)
    pretty: bool = False  # indented JSON bodies
    trailers: bool = False  # chunked bodies in small chunks, with a trailer field
    header_case: bool = False  # odd case in header names and the media type
    extra_toplevel: bool = False  # links/meta at the top, extra data/pagination/container keys
    head_ok: bool = False  # HEAD -> 200 without body, OPTIONS -> 204 with Allow
    trailing_slash_redirect: bool = False  # a path ending in '/' -> 308 to the canonical path
    past_end: str = "empty"  # empty | 404: a page number past the end
    single_use_cursor: bool = False  # a cursor may be redeemed once (then 400)
    runid_case_insensitive: bool = False  # runId compared as a UUID (hex digits any case)
    order_by_access: bool = False  # page-number pages oldest first, plain/cursor newest first
    grow_latest: int = 0  # the latest run gains a container every N containers requests
    no_cursor: bool = False  # page numbers only: no cursor is ever issued or accepted
    runs_forbidden: bool = False  # .../runs answers 403 (needs Jobs > General > Read)
    # runner hints (not server behaviour)
    run_id_index: int | None = 1  # which run to pass as --run-id in the "runid" variant
    variants: tuple[str, ...] = ("plain", "runid_team")
    extra_env: dict[str, str] = dataclasses.field(default_factory=dict)


def make_runs(cfg: Config) -> list[Run]:
    runs = []
    now = 1_764_000_000
    for r, (n, status) in enumerate(cfg.runs):
        rid = f"{r:08x}-9be8-41dd-b0f7-{hashlib.md5(f'{cfg.name}{r}'.encode()).hexdigest()[:12]}"
        started = now - r * 86_400
        conts = []
        for i in range(n):
            created = started + i * 3 + 1
            if status == "RUNNING":
                st = STATUSES[i % 3]  # running, starting, staging
            elif status == "FAILED":
                st = "TASK_FAILED" if i % 2 else "TASK_KILLED"
            else:
                st = "TASK_FINISHED"
            # names do not sort like creation times: a hash-y suffix as k8s has
            suffix = hashlib.sha1(f"{rid}/{i}".encode()).hexdigest()[:5]
            c: dict[str, Any] = {
                "name": f"{JOB}-{rid[:8]}-{suffix}{i:03d}",
                "createdAt": created,
                "status": st,
                "updatedAt": created + (0 if status == "RUNNING" else 60),
            }
            if cfg.byoc:
                c.update(
                    {
                        "nodeName": f"node-{i % 4}",
                        "nodePoolUserId": "pool-a",
                        "nodePoolProviderId": "gke-pool-a",
                        "host": f"10.0.0.{i % 250}",
                        "ipAddresses": [f"10.1.{r}.{i % 250}"],
                    }
                )
            if cfg.extra_fields:
                c.update(
                    {
                        "restarts": 0,
                        "exitCode": None if status == "RUNNING" else 0,
                        "image": "registry.example/job:1.2.3",
                    }
                )
            if cfg.bug == "status-passthrough" and status == "SUCCESS" and r == 0 and i == n - 2:
                # k8s phase leaks through the status mapper for one container
                c["status"] = "Succeeded"
            conts.append(c)
        runs.append(Run(rid, status, started, conts))
    return runs


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, details: Any = None, headers: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers or {}


SECRET = b"blind-cursor-secret"


class ListingCore:
    """The endpoint's logic, independent of the HTTP stack."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.runs = make_runs(cfg)
        self.cursor_table: dict[str, tuple[int, int, str]] = {}
        self.used_cursors: set[str] = set()
        self.requests = 0  # containers requests seen (burst_429_every)
        self.grown = 0  # containers requests seen (grow_latest)
        self.lock = threading.Lock()
        self.remaining = 1000
        self.reset_at = time.time() + 3600

    # ---- cursors -------------------------------------------------------------------
    def enc(self, offset: int, per_page: int, run_id: str) -> str:
        s = self.cfg.cursor
        if s == "b64json":
            raw = json.dumps({"o": offset, "pp": per_page, "r": run_id}, separators=(",", ":"))
            return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        if s == "offset":
            return str(offset)
        if s == "jwt":
            return self.jwt_enc({"o": offset, "pp": per_page, "r": run_id})
        if s == "std-b64":
            # standard base64 ('+', '/', '='): needs URL-escaping, which the JS client skips;
            # three random bytes in front make '+' or '/' likely, retried until present
            blob = json.dumps({"o": offset, "pp": per_page, "r": run_id}).encode()
            while True:
                tok = base64.b64encode(os.urandom(3) + blob).decode()
                if "+" in tok[:4] or "/" in tok[:4]:
                    return tok
        if s == "signed":
            payload = (
                base64.urlsafe_b64encode(f"{offset}.{per_page}.{run_id}".encode())
                .decode()
                .rstrip("=")
            )
            sig = hmac.new(SECRET, payload.encode(), hashlib.sha256).hexdigest()[:16]
            return f"{payload}.{sig}"
        if s in ("uuid", "hex24"):
            key = str(uuid.uuid4()) if s == "uuid" else os.urandom(12).hex()
            with self.lock:
                self.cursor_table[key] = (offset, per_page, run_id)
            return key
        raise AssertionError(s)

    @staticmethod
    def _b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).decode().rstrip("=")

    def jwt_enc(self, claims: dict[str, Any]) -> str:
        """A JWT (HS256) carrying the position: '.'-separated base64url, with '-' and '_'."""
        head = self._b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "cur-1"}).encode())
        n = 0
        while True:
            body = dict(claims, iat=int(time.time()), sub="job_containers", n=n)
            payload = self._b64(json.dumps(body, separators=(",", ":")).encode())
            signing = f"{head}.{payload}"
            sig = self._b64(hmac.new(SECRET, signing.encode(), hashlib.sha256).digest())
            tok = f"{signing}.{sig}"
            if "_" in tok and "-" in tok:
                return tok
            n += 1

    def jwt_dec(self, tok: str) -> dict[str, Any]:
        head, payload, sig = tok.split(".")
        good = self._b64(hmac.new(SECRET, f"{head}.{payload}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(sig, good):
            raise ValueError
        obj = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if not isinstance(obj, dict):
            raise ValueError
        return obj

    def dec(self, cur: str) -> tuple[int, int | None, str | None]:
        s = self.cfg.cursor
        try:
            if s == "b64json":
                obj = json.loads(base64.urlsafe_b64decode(cur + "=" * (-len(cur) % 4)))
                o, pp, r = obj["o"], obj["pp"], obj["r"]
                if not (isinstance(o, int) and isinstance(pp, int) and isinstance(r, str)):
                    raise ValueError
                if o < 0 or not 1 <= pp <= 100:
                    raise ValueError
                return o, pp, r
            if s == "std-b64":
                obj = json.loads(base64.b64decode(cur, validate=True)[3:])
                o, pp, r = obj["o"], obj["pp"], obj["r"]
                if not (isinstance(o, int) and isinstance(pp, int) and isinstance(r, str)):
                    raise ValueError
                return o, pp, r
            if s == "jwt":
                obj = self.jwt_dec(cur)
                o, pp, r = obj["o"], obj["pp"], obj["r"]
                if not (isinstance(o, int) and isinstance(pp, int) and isinstance(r, str)):
                    raise ValueError
                return o, pp, r
            if s == "offset":
                if not cur.isdigit() or len(cur) > 9:
                    raise ValueError
                return int(cur), None, None
            if s == "signed":
                payload, sig = cur.rsplit(".", 1)
                good = hmac.new(SECRET, payload.encode(), hashlib.sha256).hexdigest()[:16]
                if not hmac.compare_digest(sig, good):
                    raise ValueError
                o, pp, r = (
                    base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                    .decode()
                    .split(".", 2)
                )
                return int(o), int(pp), r
            if s in ("uuid", "hex24"):
                with self.lock:
                    if self.cfg.single_use_cursor and cur in self.used_cursors:
                        raise ApiError(400, "Cursor has already been used")
                    o, pp, r = self.cursor_table[cur]
                    if self.cfg.single_use_cursor:
                        del self.cursor_table[cur]
                        self.used_cursors.add(cur)
                return o, pp, r
        except (
            ValueError,
            KeyError,
            TypeError,
            UnicodeDecodeError,
            json.JSONDecodeError,
            binascii.Error,
        ):
            pass
        raise ApiError(400, "Invalid cursor")

    # ---- helpers -------------------------------------------------------------------
    def visible(self, run: Run) -> list[dict[str, Any]]:
        """grow_latest: the latest run (still RUNNING) shows 3 containers, then one more every
        grow_latest containers requests, up to all it has."""
        if self.cfg.grow_latest and run is self.runs[0]:
            return run.containers[
                : min(len(run.containers), 3 + self.grown // self.cfg.grow_latest)
            ]
        return run.containers

    def ordered(self, run: Run, order: str | None = None) -> list[dict[str, Any]]:
        c = list(self.visible(run))
        order = order or self.cfg.order
        if order == "newest":
            c.sort(key=lambda x: (-x["createdAt"], x["name"]))
        elif order == "oldest":
            c.sort(key=lambda x: (x["createdAt"], x["name"]))
        else:
            c.sort(key=lambda x: x["name"])
        return c

    def find_run(self, run_id: str) -> Run | None:
        if self.cfg.bug == "runid-prefix-match":
            for r in self.runs:
                if r.id.startswith(run_id):
                    return r
            return None
        if self.cfg.runid_case_insensitive:
            # run ids are UUIDs: hex digits are case-insensitive on input (RFC 9562)
            for r in self.runs:
                if r.id == run_id.lower():
                    return r
            return None
        if self.cfg.bug == "runid-uuid-cast-500" and not re.fullmatch(
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", run_id
        ):
            # WHERE run_id = $1::uuid: Postgres refuses the cast and nobody maps the error
            raise ApiError(500, "Internal server error")
        for r in self.runs:
            if r.id == run_id:
                return r
        return None

    def int_param(
        self, q: dict[str, str], key: str, default: int, lo: int, hi: int | None, mode: str
    ) -> int:
        raw = q.get(key)
        if raw is None:
            return default
        try:
            if not re.fullmatch(r"-?[0-9]{1,9}", raw):
                raise ValueError
            v = int(raw)
        except ValueError:
            if mode in ("400", "422"):
                raise ApiError(
                    int(mode), f"Invalid value for {key}: must be an integer", {key: raw}
                ) from None
            return default
        if v < lo or (hi is not None and v > hi):
            if mode in ("400", "422"):
                msg = (
                    f"{key} must be between {lo} and {hi}" if hi else f"{key} must be at least {lo}"
                )
                raise ApiError(int(mode), msg, {key: raw})
            if mode == "clamp":
                return max(lo, min(v, hi)) if hi else max(lo, v)
            return default
        return v

    # ---- endpoints -----------------------------------------------------------------
    def auth(self, headers: dict[str, str]) -> str:
        h = headers.get("authorization")
        if h is None:
            raise ApiError(401, "Missing Authorization header")
        parts = h.split(" ")
        if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1]:
            raise ApiError(401, "Malformed Authorization header")
        if parts[1] == TOKEN:
            return "full"
        if parts[1] == RESTRICTED:
            return "restricted"
        raise ApiError(401, "Invalid token")

    def route(
        self, method: str, path: str, q: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, Any]:
        segs = [s for s in path.split("/") if s]
        team = None
        if len(segs) >= 3 and segs[:2] == ["v1", "teams"]:
            team = segs[2]
            segs = ["v1"] + segs[3:]
        if not (
            len(segs) == 6
            and segs[0] == "v1"
            and segs[1] == "projects"
            and segs[3] == "jobs"
            and segs[5] in ("containers", "runs")
        ):
            raise ApiError(404, "Route not found")
        if method != "GET":
            raise ApiError(405, "Method not allowed")
        who = self.auth(headers)
        project, job, what = segs[2], segs[4], segs[5]
        if team is not None and team != TEAM:
            raise ApiError(404, "Team not found")
        if project != PROJECT:
            raise ApiError(404, "Project not found")
        if job != JOB and not (self.cfg.bug == "team-job-unchecked" and team is not None):
            raise ApiError(404, "Job not found")
        if self.cfg.strict_query:
            allowed = {"per_page", "page", "cursor"} | (
                {"runId"} if what == "containers" else set()
            )
            bad = sorted(set(q) - allowed)
            if bad:
                raise ApiError(400, f'"{bad[0]}" is not allowed', {"unknown": bad})
        if what == "runs":
            if not self.cfg.runs_endpoint:
                raise ApiError(404, "Route not found")
            if self.cfg.runs_forbidden:
                raise ApiError(403, "Missing permission: Project > Jobs > General > Read")
            return 200, self.list_runs(q)
        if self.cfg.burst_429_every:
            with self.lock:
                self.requests += 1
                n = self.requests
            if n % self.cfg.burst_429_every == 0:
                # a burst limiter in front of the hourly budget; Retry-After as an HTTP-date
                when = email.utils.formatdate(time.time() + 2, usegmt=True)
                raise ApiError(429, "Too many requests, slow down", headers={"Retry-After": when})
        if self.cfg.grow_latest:
            with self.lock:
                self.grown += 1
        if who == "restricted" and not (self.cfg.bug == "team-no-permission" and team):
            if self.cfg.hide_forbidden:
                raise ApiError(404, "Job not found")
            details = None
            if self.cfg.bug == "403-leaks-names":
                # the error handler attaches the query's result to help debugging
                details = {"containers": [c["name"] for c in self.ordered(self.runs[0])[:5]]}
            raise ApiError(
                403,
                "Missing permission: Project > Jobs > Deployment > View Instance Logs",
                details,
            )
        return 200, self.list_containers(q, team is not None)

    def list_runs(self, q: dict[str, str]) -> Any:
        per_page = self.int_param(q, "per_page", 50, 1, 100, "clamp")
        page = self.int_param(q, "page", 1, 1, None, "first")
        if self.cfg.runs_cursor and q.get("cursor"):
            try:
                page, per_page = (
                    int(x) for x in base64.urlsafe_b64decode(q["cursor"] + "==").split(b":")
                )
            except (ValueError, binascii.Error):
                raise ApiError(400, "Invalid cursor") from None
        runs = self.runs[(page - 1) * per_page : page * per_page]
        out = []
        for r in runs:
            done = r.status != "RUNNING"
            n = len(self.visible(r))
            iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(r.started))
            out.append(
                {
                    "id": r.id,
                    "runName": f"{JOB}-{r.id[:8]}",
                    "status": r.status,
                    "startedAt": iso,
                    "concludedAt": time.strftime(
                        "%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(r.started + 600)
                    )
                    if done
                    else None,
                    "active": 0 if done else n,
                    "succeeded": n if r.status == "SUCCESS" else 0,
                    "failed": n if r.status == "FAILED" else 0,
                    "completions": max(n, 1),
                    "backoffLimit": 0,
                    "concluded": done,
                }
            )
        has_next = page * per_page < len(self.runs)
        pag: dict[str, Any] = {"hasNextPage": has_next, "count": len(out)}
        if self.cfg.runs_cursor and has_next:
            pag["cursor"] = self._b64(f"{page + 1}:{per_page}".encode())
        return {"data": {"runs": out}, "pagination": pag}

    def list_containers(self, q: dict[str, str], team_route: bool) -> Any:
        cfg, bug = self.cfg, self.cfg.bug
        if cfg.cursor_owns_query and q.get("cursor"):
            per_page = 50  # the cursor's own page size replaces it below; the query's is unread
        else:
            per_page = self.int_param(q, "per_page", 50, 1, 100, cfg.bad_per_page)
        run_id_q = q.get("runId")
        order: str | None = None
        if cfg.order_by_access:
            # two query builders: keyset (createdAt DESC) for plain and cursor pages, OFFSET
            # with the table's default ORDER BY (oldest first) for page numbers
            order = "oldest" if q.get("page") and not q.get("cursor") else "newest"
        if bug == "team-ignores-runid" and team_route:
            run_id_q = None  # the team handler forgot to forward the filter
        via = "plain"
        offset = 0
        cursor = q.get("cursor")
        run: Run | None
        if cursor and cfg.no_cursor:
            raise ApiError(400, "cursor is not supported on this endpoint, use page")
        if cursor:
            via = "cursor"
            offset, pp_c, run_c = self.dec(cursor)
            if cfg.order_by_access and run_c:
                run_c, _, order = run_c.partition("|")
            if ("per_page" not in q or cfg.cursor_owns_query) and pp_c is not None:
                per_page = pp_c
            rid = run_c or (None if cfg.cursor_owns_query else run_id_q)
            run = self.find_run(rid) if rid else self.runs[0]
            if run is None:
                raise ApiError(400, "Invalid cursor")
        else:
            if "page" in q and q["page"] != "":
                via = "page"
                page = self.int_param(q, "page", 1, 1, None, cfg.bad_page)
                offset = (page - 1) * per_page
                if bug == "page-zero-based":
                    offset = page * per_page
                if bug == "page-odd-overlap" and per_page % 2:
                    # the batch reader rounds the page size down to even when it skips
                    offset = (page - 1) * (per_page - 1)
            if run_id_q:
                run = self.find_run(run_id_q)
                if run is None:
                    if cfg.unknown_run == "404":
                        raise ApiError(404, "Job run not found")
                    data0: dict[str, Any] = {"runId": run_id_q}
                    if not cfg.omit_empty_containers:
                        data0["containers"] = []
                    return {"data": data0, "pagination": {"hasNextPage": False, "count": 0}}
            else:
                run = self.runs[0]
        if bug == "perpage-60-90-500" and 60 <= per_page <= 90:
            raise ApiError(500, "Internal server error")
        if bug == "perpage-mid-500" and 51 <= per_page <= 99:
            # the "large page" query path (51..99; 100 has its own fast path) has a typo
            raise ApiError(500, "Internal server error")
        items = self.ordered(run, order)
        if cfg.past_end == "404" and via == "page" and offset > 0 and offset >= len(items):
            raise ApiError(404, "Page not found")
        chunk = items[offset : offset + per_page]
        nxt = offset + per_page
        has_next = nxt < len(items)
        if bug == "max-hasnext-lazy" and per_page == 100:
            # the max-size path streams rows and never looks ahead: "more?" = "got any?"
            has_next = len(chunk) > 0
        if bug == "hasnext-exact-multiple":
            has_next = nxt <= len(items) and len(chunk) > 0
        if bug == "cursor-overlap" and via == "cursor":
            # "resume after the last item" computed one too early on cursor hops
            nxt = offset + per_page - 1 if offset > 0 else nxt
        if bug == "max-page-skip" and per_page == 100:
            nxt = offset + per_page + 1  # max-size fast path uses an exclusive bound
        data_run_id = run.id
        if bug == "cursor-echo-latest" and via == "cursor":
            data_run_id = self.runs[0].id
        count = len(chunk)
        if bug == "count-last-page" and not has_next and chunk:
            count = per_page
        if bug == "team-count-total" and team_route:
            count = len(items)
        if bug == "page-count-cumulative" and via == "page":
            count = offset + len(chunk)  # "results so far" on the page-number path
        pag: dict[str, Any] = {"hasNextPage": has_next, "count": count}
        if has_next and not cfg.no_cursor:
            # bug cursor-drops-runid: the encoder takes the job's current run, not the filter's
            cur_run = self.runs[0].id if bug == "cursor-drops-runid" and run_id_q else run.id
            if cfg.order_by_access:
                cur_run = f"{cur_run}|{order}"
            pag["cursor"] = self.enc(nxt, per_page, cur_run)
        if bug == "second-page-repeats-first" and via == "cursor" and offset == per_page:
            chunk = items[0:per_page]
        if bug == "page-path-drops-runid" and via == "page" and offset > 0 and run_id_q:
            items = self.ordered(self.runs[0])  # the page-number query builder drops the filter
            chunk = items[offset : offset + per_page]
            data_run_id = self.runs[0].id
            pag = {"hasNextPage": offset + per_page < len(items), "count": len(chunk)}
        if bug == "team-cursor-on-last-page" and team_route and not has_next:
            pag["cursor"] = self.enc(nxt, per_page, run.id)
        data: dict[str, Any] = {"containers": chunk, "runId": data_run_id}
        if cfg.omit_empty_containers and not chunk:
            del data["containers"]
        if bug == "cursor-createdat-ms" and via == "cursor":
            # the cursor handler serialises rows with the ORM's default (milliseconds)
            data["containers"] = [
                dict(c, createdAt=c["createdAt"] * 1000, updatedAt=c["updatedAt"] * 1000)
                for c in chunk
            ]
        if bug == "cursor-omits-runid" and via == "cursor":
            del data["runId"]  # the cursor handler builds data from the rows alone
        if cfg.extra_toplevel:
            data["jobId"] = JOB
            pag["perPage"] = per_page
            links = {"next": f"?cursor={pag['cursor']}"} if "cursor" in pag else {}
            return {
                "data": data,
                "pagination": pag,
                "links": links,
                "meta": {"requestId": uuid.uuid4().hex, "apiVersion": "v1"},
            }
        return {"data": data, "pagination": pag}

    def error_body(self, e: ApiError) -> Any:
        err: dict[str, Any] = {
            "status": e.status,
            "message": e.message,
            "id": f"req-{uuid.uuid4().hex[:12]}",
        }
        if e.details is not None:
            err["details"] = e.details
        if self.cfg.error_extras:
            err.update(
                {
                    "code": e.message.upper().replace(" ", "_")[:40],
                    "docs": "https://northflank.com/docs/v1/api/errors",
                    "timestamp": int(time.time()),
                }
            )
            return {"error": err, "requestId": err["id"]}
        return {"error": err}

    def ratelimit_headers(self) -> dict[str, str]:
        with self.lock:
            self.remaining = max(0, self.remaining - 1)
            rem = self.remaining
        return {
            "x-ratelimit-limit": "1000",
            "x-ratelimit-remaining": str(rem),
            "x-ratelimit-reset": str(int(self.reset_at - time.time())),
        }

    def answer(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        u = urlsplit(target)
        q = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        try:
            status, body = self.route(method, u.path, q, headers)
        except ApiError as e:
            status, body = e.status, self.error_body(e)
            extra_h = e.headers
        else:
            extra_h = {}
        if self.cfg.pretty:
            raw = json.dumps(body, indent=2).encode()
        else:
            raw = json.dumps(body, separators=(",", ":")).encode()
        h = {"Content-Type": "application/json; charset=utf-8", **extra_h}
        if status == 405:
            h["Allow"] = "GET"
        if self.cfg.ratelimit:
            h.update(self.ratelimit_headers())
        if self.cfg.etag and status == 200:
            h["ETag"] = '"' + hashlib.sha1(raw).hexdigest()[:20] + '"'
            h["Cache-Control"] = "private, max-age=0, must-revalidate"
            h["Vary"] = "Authorization, Accept-Encoding"
        elif self.cfg.etag:
            h["Cache-Control"] = "no-store"
        return status, h, raw


STOP = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    core: ListingCore
    cfg: Config
    seen_auth: list[str]
    redirect_to: str = ""

    def log_message(self, *a: Any) -> None:  # quiet
        pass

    def _any(self) -> None:
        cfg = self.cfg
        hdrs = {k.lower(): v for k, v in self.headers.items()}
        self.seen_auth.append(hdrs.get("authorization", ""))
        n = int(hdrs.get("content-length", "0") or 0)
        if n:
            self.rfile.read(n)
        if cfg.delay:
            time.sleep(cfg.delay)
        if cfg.hostile and self.hostile(hdrs):
            return
        if cfg.trailing_slash_redirect:
            u = urlsplit(self.path)
            if u.path.endswith("/") and u.path != "/":
                self.send_response(308)
                loc = u.path.rstrip("/") + (f"?{u.query}" if u.query else "")
                self.send_header("Location", loc)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        method, head = self.command, False
        if cfg.head_ok and method == "OPTIONS":
            self.send_response(204)
            self.send_header("Allow", "GET, HEAD, OPTIONS")
            self.end_headers()  # a 204 has no body and no Content-Length (RFC 9110 8.6)
            return
        if cfg.head_ok and method == "HEAD":
            method, head = "GET", True
        status, h, raw = self.core.answer(method, self.path, hdrs)
        if cfg.head_ok and status == 405:
            h["Allow"] = "GET, HEAD, OPTIONS"
        if cfg.header_case:
            h = {self.odd_case(k): v for k, v in h.items()}
            h["CONTENT-TYPE"] = "Application/JSON; Charset=UTF-8"
        if cfg.hostile == "echo-token":
            status, h, raw = self.echo(status, h, raw, hdrs)
        if status == 304:
            raw = b""
        if cfg.etag and "ETag" in h and hdrs.get("if-none-match") == h["ETag"]:
            status, raw = 304, b""
        if cfg.gzip and raw and "gzip" in hdrs.get("accept-encoding", ""):
            raw = gzip.compress(raw)
            h["Content-Encoding"] = "gzip"
        self.send_response(status)
        for k, v in h.items():
            self.send_header(k, v)
        if not cfg.keep_alive:
            self.send_header("Connection", "close")
            self.close_connection = True
        if head:
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            return
        if cfg.trailers and raw:
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Body-SHA256")
            self.end_headers()
            for i in range(0, len(raw), 17):
                part = raw[i : i + 17]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            digest = hashlib.sha256(raw).hexdigest().encode()
            self.wfile.write(b"0\r\nX-Body-SHA256: " + digest + b"\r\n\r\n")
        elif cfg.chunked and raw:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(raw), 1000):
                part = raw[i : i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header(
                "content-length" if cfg.header_case else "Content-Length", str(len(raw))
            )
            self.end_headers()
            self.wfile.write(raw)

    @staticmethod
    def odd_case(name: str) -> str:
        """Header names as some stacks write them: all caps, all lower, or camel-ish."""
        low = name.lower()
        if low == "content-type":
            return "CONTENT-TYPE"
        if low.startswith("x-ratelimit-"):
            return "X-RateLimit-" + low[len("x-ratelimit-") :].capitalize()
        return low

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

    def echo(
        self, status: int, h: dict[str, str], raw: bytes, hdrs: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        auth = hdrs.get("authorization", "")
        body = json.loads(raw)
        if "data" in body:
            body["data"]["requestedBy"] = auth
            cur = body["pagination"].get("cursor")
            if cur:
                # the cursor carries the caller's token; it is stripped again on decode
                tok = base64.urlsafe_b64encode(auth.encode()).decode().rstrip("=")
                body["pagination"]["cursor"] = f"{cur}~{tok}"
        elif "error" in body:
            body["error"]["message"] += f" (you sent: {auth})"
        h["X-Echo-Authorization"] = auth
        return status, h, json.dumps(body).encode()

    def hostile(self, hdrs: dict[str, str]) -> bool:
        mode = self.cfg.hostile
        w = self.wfile
        if mode == "echo-token":
            # strip the token part we appended to our cursors
            self.path = re.sub(r"(cursor=[^&~]*)~[^&]*", r"\1", self.path)
            return False
        if mode == "stall-body":
            w.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b'Content-Length: 5000\r\n\r\n{"data": {"containers": ['
            )
            w.flush()
            while not STOP.wait(1):
                pass
            self.close_connection = True
            return True
        if mode == "garbage":
            w.write(os.urandom(3000) + b"\r\n\r\n")
            w.flush()
            self.close_connection = True
            return True
        if mode == "huge-header":
            w.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            w.write(b"X-Padding: " + b"a" * (8 * 1024 * 1024) + b"\r\n")
            w.write(b"Content-Length: 2\r\n\r\n{}")
            w.flush()
            self.close_connection = True
            return True
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", self.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if mode == "deep-json":
            raw = b"[" * 100_000 + b"]" * 100_000
            body = (
                b'{"data":{"containers":'
                + raw
                + b',"runId":"x"},"pagination":{"hasNextPage":false,"count":0}}'
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            w.write(body)
            return True
        if mode == "html-200":
            body = (
                b"<!doctype html><html><head><title>Northflank</title></head><body>"
                b"<h1>Welcome back</h1><p>Please sign in.</p></body></html>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            w.write(body)
            return True
        if mode == "gzip-bomb":
            body = gzip_bomb()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            w.write(body)
            return True
        if mode == "trickle":
            status, h, raw = self.core.answer(self.command, self.path, hdrs)
            w.write(b"HTTP/1.1 %d X\r\n" % status)
            for k, v in h.items():
                w.write(f"{k}: {v}\r\n".encode())
            w.write(b"Content-Length: %d\r\n\r\n" % len(raw))
            for b in raw:
                if STOP.wait(0.5):
                    break
                w.write(bytes([b]))
                w.flush()
            self.close_connection = True
            return True
        if mode == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            self.close_connection = True
            return True
        return self.hostile2(mode, hdrs)

    def hostile2(self, mode: str, hdrs: dict[str, str]) -> bool:
        """Round 2 hostile behaviours."""
        w = self.wfile
        if mode == "slow-headers":
            # a proxy that dribbles the head: one header line per second for a minute
            w.write(b"HTTP/1.1 200 OK\r\n")
            w.flush()
            for i in range(60):
                if STOP.wait(1):
                    break
                w.write(b"X-Slow-%d: %d\r\n" % (i, i))
                w.flush()
            w.write(b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            self.close_connection = True
            return True
        if mode == "huge-50mb":
            body = huge_body()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            w.write(body)
            return True
        if mode == "short-content-length":
            # Content-Length counted before the last fields were appended: the rest of the
            # body is left on the connection, in front of the next response
            status, h, raw = self.core.answer(self.command, self.path, hdrs)
            self.send_response(status)
            for k, v in h.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(max(0, len(raw) - 9)))
            self.end_headers()
            w.write(raw)
            return True
        if mode == "infinite-whitespace":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            first = b'{"data": '
            w.write(b"%x\r\n%s\r\n" % (len(first), first))
            pad = b" " * 65536
            while not STOP.wait(0.01):  # about 6 MB/s, forever
                w.write(b"%x\r\n%s\r\n" % (len(pad), pad))
                w.flush()
            self.close_connection = True
            return True
        if mode == "http10-linger":
            # HTTP/1.0, no Content-Length: the body ends when the connection closes, and the
            # server closes it 30 s after the last byte
            status, h, raw = self.core.answer(self.command, self.path, hdrs)
            w.write(b"HTTP/1.0 %d OK\r\n" % status)
            for k, v in h.items():
                w.write(f"{k}: {v}\r\n".encode())
            w.write(b"\r\n" + raw)
            w.flush()
            STOP.wait(30)
            self.close_connection = True
            return True
        if mode == "continue-spam":
            # interim responses forever, the final one never comes
            while not STOP.wait(0.001):
                w.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                w.flush()
            self.close_connection = True
            return True
        if mode == "redirect-loop":
            u = urlsplit(self.path)
            n = int(parse_qs(u.query).get("hop", ["0"])[-1] or 0) + 1
            q = re.sub(r"&?hop=\d+", "", u.query)
            loc = f"{u.path}?{q + '&' if q else ''}hop={n}"
            self.send_response(307)
            self.send_header("Location", loc)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if mode == "huge-name":
            status, h, raw = self.core.answer(self.command, self.path, hdrs)
            body = json.loads(raw)
            conts = body.get("data", {}).get("containers") if status == 200 else None
            if conts:
                conts[0]["name"] = "x" * 10_500_000  # one 10 MB name in a valid listing
                raw = json.dumps(body, separators=(",", ":")).encode()
            self.send_response(status)
            for k, v in h.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            w.write(raw)
            return True
        raise AssertionError(mode)


GZ_BOMB: bytes | None = None
HUGE: bytes | None = None


def huge_body() -> bytes:
    """About 50 MB of valid JSON: 480,000 containers, count matching (built once)."""
    global HUGE
    if HUGE is None:
        one = (
            b'{"name":"blind-job-huge-%06d","createdAt":1764000001,'
            b'"status":"TASK_FINISHED","updatedAt":1764000061}'
        )
        n = 480_000
        conts = b",".join(one % i for i in range(n))
        HUGE = (
            b'{"data":{"containers":['
            + conts
            + b'],"runId":"00000000-9be8-41dd-b0f7-000000000000"},'
            + b'"pagination":{"hasNextPage":false,"count":%d}}' % n
        )
    return HUGE


def gzip_bomb() -> bytes:
    """1 GiB of zeros, gzip'd once per process (about 1 MB)."""
    global GZ_BOMB
    if GZ_BOMB is None:
        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b"\0" * (1 << 20)
        parts = [co.compress(chunk) for _ in range(1024)]
        GZ_BOMB = b"".join(parts) + co.flush()
    return GZ_BOMB


def _status_cfg(kind: str) -> str:
    return kind


SERVERS: dict[str, Config] = {}


def add(cfg: Config) -> None:
    SERVERS[cfg.name] = cfg


# ---------------------------------------------------------------- conformant servers
add(
    Config(
        "c1-b64-newest",
        doc="base64-JSON cursor carrying offset/per_page/run, newest first, "
        "400 for bad per_page/page, 404 for unknown run, rate-limit headers, keep-alive, "
        "Content-Length; runs of 37/12/5 containers",
    )
)
add(
    Config(
        "c2-offset-gzip-clamp",
        doc="plain offset-number cursor (runId/per_page must be resent), "
        "oldest first, out-of-range per_page clamped, bad page -> first page, gzip, chunked, "
        "Connection: close, ETag+Cache-Control, no rate-limit headers; latest run exactly 100 "
        "containers, a 0-container run, 20 runs in all",
        runs=((100, "SUCCESS"), (0, "FAILED"), (45, "SUCCESS"))
        + tuple((3 + i, "SUCCESS") for i in range(17)),
        cursor="offset",
        order="oldest",
        bad_per_page="clamp",
        bad_page="first",
        unknown_run="empty",
        keep_alive=False,
        chunked=True,
        gzip=True,
        etag=True,
        ratelimit=False,
    )
)
add(
    Config(
        "c3-signed-byname-single",
        doc="HMAC-signed cursor, ordered by name, bad per_page -> default "
        "50, error bodies with extra fields, extra + BYOC container fields, restricted token "
        "gets 404 (hides the job, RFC 9110 allows it); a job with one run of 1 container",
        runs=((1, "SUCCESS"),),
        cursor="signed",
        order="name",
        bad_per_page="default",
        bad_page="first",
        error_extras=True,
        extra_fields=True,
        byoc=True,
        hide_forbidden=True,
        run_id_index=0,
    )
)
add(
    Config(
        "c4-uuid-slow-running",
        doc="UUID cursors kept in a server table, 300 ms per request, "
        "latest run still RUNNING (TASK_RUNNING/STARTING/STAGING), 250 containers in the "
        "newest concluded run",
        runs=((8, "RUNNING"), (250, "SUCCESS"), (30, "FAILED")),
        cursor="uuid",
        delay=0.3,
        run_id_index=1,
    )
)
add(
    Config(
        "c5-hex24-empty-latest",
        doc="24-char hex cursors (the CLI's shape) in a table, 422 for "
        "bad per_page, unknown run -> empty list; newest run has 0 containers (just "
        "started), then 60 and 7",
        runs=((0, "RUNNING"), (60, "SUCCESS"), (7, "SUCCESS")),
        cursor="hex24",
        bad_per_page="422",
        unknown_run="empty",
        run_id_index=1,
    )
)
add(
    Config(
        "c6-uvicorn-manyruns",
        doc="served by uvicorn/starlette (h11), base64 cursor, newest "
        "first, gzip via middleware, 30 runs, latest 101 containers (a page of 100 then one)",
        runs=((101, "SUCCESS"),)
        + tuple((2 + i % 9, "SUCCESS" if i % 3 else "FAILED") for i in range(29)),
        uvicorn=True,
        gzip=True,
        run_id_index=4,
    )
)

add(
    Config(
        "c7-no-runs-endpoint",
        doc="implements only the documented endpoint: .../runs answers "
        "404; base64 cursor, oldest first",
        runs_endpoint=False,
        order="oldest",
        run_id_index=2,
    )
)
add(
    Config(
        "c8-omit-empty-containers",
        doc="data.containers left out when a page is empty (the "
        "clients treat it as optional; the doc does not mark it required); newest run has 0 "
        "containers, unknown runId -> empty",
        runs=((0, "RUNNING"), (23, "SUCCESS"), (9, "FAILED")),
        omit_empty_containers=True,
        unknown_run="empty",
        run_id_index=1,
    )
)
add(
    Config(
        "c9-strict-query",
        doc="Joi-style strict validation: an unknown query parameter is a "
        "400 with a Northflank error body; signed cursors",
        strict_query=True,
        cursor="signed",
        error_extras=True,
    )
)

# ---------------------------------------------------------------- buggy servers
B = "buggy"
add(
    Config(
        "b01-team-count-total",
        kind=B,
        bug="team-count-total",
        doc="team route only: pagination.count is the run's total, not this page's",
    )
)
add(
    Config(
        "b02-cursor-drops-runid",
        kind=B,
        bug="cursor-drops-runid",
        doc="only with runId, only on cursor pages: the cursor minted for a filtered "
        "listing names the job's latest run, so page 2+ list the latest run",
    )
)
add(
    Config(
        "b03-hasnext-exact-multiple",
        kind=B,
        bug="hasnext-exact-multiple",
        runs=((60, "SUCCESS"), (40, "SUCCESS"), (5, "FAILED")),
        doc="off-by-one: hasNextPage true on the last page when the total is an exact "
        "multiple of per_page (60 and 40 containers)",
    )
)
add(
    Config(
        "b04-count-last-page",
        kind=B,
        bug="count-last-page",
        doc="last page only: count reports per_page instead of the number returned",
    )
)
add(
    Config(
        "b05-runid-prefix",
        kind=B,
        bug="runid-prefix-match",
        doc="runId filter matches by prefix (LIKE 'x%')",
    )
)
add(
    Config(
        "b06-cursor-overlap",
        kind=B,
        bug="cursor-overlap",
        doc="cursor pages after the second repeat one item across the page boundary "
        "(page-number walks are fine)",
    )
)
add(
    Config(
        "b07-max-page-skip",
        kind=B,
        bug="max-page-skip",
        runs=((250, "SUCCESS"), (12, "SUCCESS")),
        doc="per_page=100 only: the next cursor skips one container",
    )
)
add(
    Config(
        "b08-page-zero-based",
        kind=B,
        bug="page-zero-based",
        doc="page numbers treated as 0-based on the page-number path: page=1 is the second page",
    )
)
add(
    Config(
        "b09-team-ignores-runid",
        kind=B,
        bug="team-ignores-runid",
        doc="team route only: the runId filter is not forwarded, latest run listed",
    )
)
add(
    Config(
        "b10-cursor-echo-latest",
        kind=B,
        bug="cursor-echo-latest",
        doc="cursor pages only: data.runId names the latest run though the containers are "
        "the filtered run's",
    )
)
add(
    Config(
        "b11-status-passthrough",
        kind=B,
        bug="status-passthrough",
        doc="one container of the latest run carries the raw k8s phase 'Succeeded' "
        "(outside the status enum), on the last page of the latest run only",
    )
)
add(
    Config(
        "b12-second-page-repeats",
        kind=B,
        bug="second-page-repeats-first",
        doc="the second page reached by cursor repeats the first page's containers",
    )
)
add(
    Config(
        "b13-team-job-unchecked",
        kind=B,
        bug="team-job-unchecked",
        doc="team route only: the job id is not checked, an unknown job lists the latest run",
    )
)
add(
    Config(
        "b14-page-path-drops-runid",
        kind=B,
        bug="page-path-drops-runid",
        doc="page-number path only, page 2 on: the runId filter is dropped (latest run listed)",
    )
)
add(
    Config(
        "b15-team-cursor-on-last-page",
        kind=B,
        bug="team-cursor-on-last-page",
        doc="team route only: the last page (hasNextPage false) still carries a cursor, "
        "which makes the JS client's all() loop",
    )
)

# ---------------------------------------------------------------- hostile servers
H = "hostile"
add(
    Config(
        "h01-stall-body",
        kind=H,
        hostile="stall-body",
        variants=("plain",),
        doc="valid head, part of the body, then stalls forever",
    )
)
add(
    Config(
        "h02-garbage",
        kind=H,
        hostile="garbage",
        variants=("plain",),
        doc="answers every request with random bytes",
    )
)
add(
    Config(
        "h03-huge-header",
        kind=H,
        hostile="huge-header",
        variants=("plain",),
        doc="a response head with an 8 MB header line",
    )
)
add(
    Config(
        "h04-redirect-other-host",
        kind=H,
        hostile="redirect",
        variants=("plain",),
        doc="302 to another origin (127.0.0.1, another port) that records Authorization",
    )
)
add(
    Config(
        "h05-deep-json",
        kind=H,
        hostile="deep-json",
        variants=("plain",),
        doc="200 JSON whose containers value is nested 100k deep",
    )
)
add(
    Config(
        "h06-html-200",
        kind=H,
        hostile="html-200",
        variants=("plain",),
        doc="200 text/html sign-in page for every request",
    )
)
add(
    Config(
        "h07-echo-token",
        kind=H,
        hostile="echo-token",
        variants=("plain", "runid_team"),
        doc="conformant otherwise, but echoes Authorization into the body, a header and the "
        "cursor; expected: pass, and no token anywhere in the report set",
    )
)
add(
    Config(
        "h08-gzip-bomb",
        kind=H,
        hostile="gzip-bomb",
        variants=("plain",),
        doc="200 gzip body that inflates to 1 GiB of zeros",
    )
)
add(
    Config(
        "h09-trickle",
        kind=H,
        hostile="trickle",
        variants=("plain",),
        doc="correct answers, one byte every 0.5 s",
    )
)
add(
    Config(
        "h10-reset", kind=H, hostile="reset", variants=("plain",), doc="TCP reset on every request"
    )
)


# ================================================================ round 2
# ---------------------------------------------------------------- conformant servers
add(
    Config(
        "c10-jwt-cursor",
        doc="cursor is a signed JWT (about 170 characters of base64url with '.', '-' and "
        "'_'), carrying offset/per_page/run; otherwise like c1",
        cursor="jwt",
    )
)
add(
    Config(
        "c11-cursor-owns-query-paged-runs",
        doc="with a cursor, the query's per_page and runId are not read (the cursor carries "
        "them); .../runs is paginated itself (default 50, cursor + page) and its first 55 "
        "runs are still RUNNING (a cron job whose runs overlap), so the concluded runs are on "
        "its second page",
        runs=tuple((2, "RUNNING") for _ in range(55))
        + ((37, "SUCCESS"), (12, "SUCCESS"), (5, "FAILED"))
        + tuple((3, "SUCCESS") for _ in range(72)),
        cursor_owns_query=True,
        runs_cursor=True,
        run_id_index=56,
    )
)
add(
    Config(
        "c12-burst-429",
        doc="a burst limiter: every 40th containers request answers 429 with a Northflank "
        "error body and Retry-After as an HTTP-date 2 s ahead; everything else like c1",
        burst_429_every=40,
    )
)
add(
    Config(
        "c13-chunked-trailers-pretty-case",
        doc="every body chunked in 17-byte chunks with a trailer field (X-Body-SHA256), "
        "indented JSON, header names in odd case (CONTENT-TYPE, content-length, "
        "X-RateLimit-Remaining) and the media type as 'Application/JSON; Charset=UTF-8' "
        "(media types are case-insensitive, RFC 9110 8.3.1)",
        trailers=True,
        pretty=True,
        header_case=True,
    )
)
add(
    Config(
        "c14-extra-fields",
        doc="extra keys everywhere: top-level links and meta, data.jobId, "
        "pagination.perPage, containers with restarts/exitCode/image",
        extra_toplevel=True,
        extra_fields=True,
    )
)
add(
    Config(
        "c15-head-options-slash-404-past-end",
        doc="HEAD answered 200 without body, OPTIONS 204 with Allow, other methods 405 with "
        "Allow: GET, HEAD, OPTIONS; a path with a trailing '/' -> 308 to the canonical path; "
        "a page number past the end answers 404 'Page not found'",
        head_ok=True,
        trailing_slash_redirect=True,
        past_end="404",
    )
)
add(
    Config(
        "c16-single-use-cursor",
        doc="UUID cursors in a server table, each redeemable once: a second use answers 400 "
        "'Cursor has already been used' (both clients redeem each cursor once)",
        cursor="uuid",
        single_use_cursor=True,
    )
)
add(
    Config(
        "c17-runid-case-insensitive",
        doc="runId compared as a UUID: an upper-case spelling of a run's id names that run "
        "(data.runId gives its canonical lower-case id)",
        runid_case_insensitive=True,
    )
)


add(
    Config(
        "c18-growing-latest-run",
        doc="the latest run is RUNNING and gains one container every 4 containers requests "
        "(3 at first, up to 100; newest first, so new ones push the others down); the "
        "concluded runs (37, 12, 5) are static",
        runs=((100, "RUNNING"), (37, "SUCCESS"), (12, "SUCCESS"), (5, "FAILED")),
        grow_latest=4,
    )
)


add(
    Config(
        "c19-page-numbers-only",
        doc="no cursor is ever issued (hasNextPage true, no cursor key) and a cursor "
        "parameter answers 400; clients go on by page number (the schema leaves "
        "pagination.cursor optional, and the Python SDK sends page + 1 without one)",
        no_cursor=True,
    )
)
add(
    Config(
        "c20-runs-forbidden",
        doc=".../runs answers 403 'Missing permission: Project > Jobs > General > Read': the "
        "token holds only View Instance Logs, which is all --help asks for",
        runs_forbidden=True,
    )
)

# ---------------------------------------------------------------- buggy servers
add(
    Config(
        "b16-page-count-cumulative",
        kind=B,
        bug="page-count-cumulative",
        doc="page-number path only: pagination.count is the number of results so far "
        "(offset + this page), right on page 1 only",
    )
)
add(
    Config(
        "b17-max-hasnext-lazy",
        kind=B,
        bug="max-hasnext-lazy",
        doc="per_page=100 only: hasNextPage true (with a cursor) whenever the page is not "
        "empty; the page after the last one is empty",
    )
)
add(
    Config(
        "b18-page-odd-overlap",
        kind=B,
        bug="page-odd-overlap",
        doc="page-number path with an odd per_page only: offset = (page-1)*(per_page-1), "
        "pages overlap by one",
    )
)
add(
    Config(
        "b19-cursor-omits-runid",
        kind=B,
        bug="cursor-omits-runid",
        doc="cursor pages only: data.runId (required) is left out",
    )
)
add(
    Config(
        "b20-perpage-mid-500",
        kind=B,
        bug="perpage-mid-500",
        doc="per_page 51..99 (valid values) answer 500; 1..50 and 100 are fine",
    )
)
add(
    Config(
        "b21-runid-uuid-cast-500",
        kind=B,
        bug="runid-uuid-cast-500",
        doc="a runId that is not UUID-shaped answers 500 (the uuid cast fails in SQL); an "
        "unknown UUID answers 404",
    )
)
add(
    Config(
        "b22-paged-runs-cursor-overlap",
        kind=B,
        bug="cursor-overlap",
        runs=tuple((2, "RUNNING") for _ in range(55))
        + ((37, "SUCCESS"), (12, "SUCCESS"), (5, "FAILED"))
        + tuple((3, "SUCCESS") for _ in range(72)),
        runs_cursor=True,
        run_id_index=56,
        doc="c11's fixture (the first 55 runs RUNNING with 2 containers each, the concluded "
        "runs on the second page of .../runs) with b06's bug: cursor hops after the second "
        "page repeat one item across the boundary",
    )
)
add(
    Config(
        "b23-page-order-differs",
        kind=B,
        doc="written as a conformant server (c18-order-by-access), reclassified after its "
        "first run: plain and cursor pages newest first (keyset), page-number pages oldest "
        "first (OFFSET with the table's default order); a cursor keeps the order of the page "
        "that issued it. So the first page without page= is not page 1 of the page-number "
        "listing, and a walk 'no page, then page=2, 3' (the Python SDK's page + 1) repeats "
        "and misses containers",
        order_by_access=True,
    )
)
add(
    Config(
        "b24-cursor-std-base64",
        kind=B,
        cursor="std-b64",
        bug="cursor-std-base64",
        doc="cursors in standard base64 (always holding '+' or '/', often '='): fine for a "
        "client that URL-encodes, but the JS client sends query values unencoded, so its "
        "'+' arrives as a space and the server answers 400 Invalid cursor: the JS client's "
        "all() fails on page 2",
    )
)
add(
    Config(
        "b25-team-no-permission",
        kind=B,
        bug="team-no-permission",
        doc="team route only: the permission check is missing; a token without View "
        "Instance Logs gets the listing (200)",
    )
)
add(
    Config(
        "b26-cursor-createdat-ms",
        kind=B,
        bug="cursor-createdat-ms",
        doc="cursor pages only: createdAt and updatedAt in milliseconds (13 digits), so the "
        "same container has two creation times depending on how its page was reached",
    )
)
add(
    Config(
        "b27-403-leaks-names",
        kind=B,
        bug="403-leaks-names",
        doc="the 403 for a token without the permission lists the first five container names "
        "of the latest run in error.details",
    )
)
add(
    Config(
        "b28-perpage-60-90-500",
        kind=B,
        bug="perpage-60-90-500",
        doc="per_page 60..90 (valid values) answer 500; no boundary value is affected",
    )
)

# ---------------------------------------------------------------- hostile servers
add(
    Config(
        "h11-slow-headers",
        kind=H,
        hostile="slow-headers",
        variants=("plain",),
        doc="the response head dribbles out, one header line per second for 60 s",
    )
)
add(
    Config(
        "h12-huge-50mb",
        kind=H,
        hostile="huge-50mb",
        variants=("plain",),
        doc="200 with 50 MB of valid JSON (480,000 containers, count matching), Content-Length set",
    )
)
add(
    Config(
        "h13-short-content-length",
        kind=H,
        hostile="short-content-length",
        variants=("plain",),
        doc="correct answers whose Content-Length is 9 bytes short; the rest stays on the "
        "keep-alive connection in front of the next response",
    )
)
add(
    Config(
        "h14-infinite-whitespace",
        kind=H,
        hostile="infinite-whitespace",
        variants=("plain",),
        doc="200 chunked: '{\"data\": ' then JSON whitespace forever (about 6 MB/s)",
    )
)
add(
    Config(
        "h15-http10-linger",
        kind=H,
        hostile="http10-linger",
        variants=("plain",),
        doc="correct answers as HTTP/1.0 without Content-Length; the connection is closed "
        "30 s after the last byte",
    )
)
add(
    Config(
        "h16-continue-spam",
        kind=H,
        hostile="continue-spam",
        variants=("plain",),
        doc="'100 Continue' every millisecond, forever; no final response",
    )
)
add(
    Config(
        "h17-redirect-loop",
        kind=H,
        hostile="redirect-loop",
        variants=("plain",),
        doc="307 to the same path on the same host with hop=N+1, forever",
    )
)
add(
    Config(
        "h18-huge-name",
        kind=H,
        hostile="huge-name",
        variants=("plain",),
        doc="correct listings, except that the first container's name is a 10.5 MB string",
    )
)


# ---------------------------------------------------------------- serving
class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up on a hostile answer is expected


class Server:
    def __init__(self, cfg: Config, port: int = 0):
        self.cfg = cfg
        self.core = ListingCore(cfg)
        self.seen_auth: list[str] = []
        self.aux: Server | None = None
        if cfg.hostile == "gzip-bomb":
            gzip_bomb()  # built before serving, so every answer is immediate
        if cfg.hostile == "huge-50mb":
            huge_body()
        if cfg.hostile == "redirect":
            self.aux = Server(dataclasses.replace(cfg, hostile="", name=cfg.name + "-target"))
            self.aux.start()
        if cfg.uvicorn:
            self._init_uvicorn(port)
        else:
            handler = type(
                "H",
                (Handler,),
                {
                    "core": self.core,
                    "cfg": cfg,
                    "seen_auth": self.seen_auth,
                    "redirect_to": self.aux.url if self.aux else "",
                },
            )
            self.httpd = QuietServer(("127.0.0.1", port), handler)
            self.httpd.daemon_threads = True
            self.port = self.httpd.server_address[1]
        self.url: str = f"http://127.0.0.1:{self.port}"

    def _init_uvicorn(self, port: int) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.middleware.gzip import GZipMiddleware
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        core = self.core

        async def endpoint(request: Request) -> Response:
            hdrs = {k.lower(): v for k, v in request.headers.items()}
            target = request.url.path + ("?" + request.url.query if request.url.query else "")
            status, h, raw = core.answer(request.method, target, hdrs)
            return Response(raw, status_code=status, headers=h)

        app = Starlette(
            routes=[
                Route("/{path:path}", endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
            ]
        )
        app.add_middleware(GZipMiddleware, minimum_size=500)
        sock = socket.socket()
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        self._sock = sock
        self.uv = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))

    def start(self) -> Server:
        STOP.clear()
        if self.cfg.uvicorn:
            self.uv.config.setup_event_loop = lambda: None  # type: ignore[method-assign]
            self.thread = threading.Thread(
                target=self.uv.run, kwargs={"sockets": [self._sock]}, daemon=True
            )
            self.thread.start()
            for _ in range(100):
                if self.uv.started:
                    break
                time.sleep(0.05)
        else:
            self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
            self.thread.start()
        return self

    def stop(self) -> None:
        STOP.set()
        if self.cfg.uvicorn:
            self.uv.should_exit = True
            self.thread.join(5)
        else:
            self.httpd.shutdown()
            self.httpd.server_close()
        if self.aux:
            self.aux.stop()

    def run_id(self, index: int | None) -> str | None:
        return None if index is None else self.core.runs[index].id


if __name__ == "__main__":
    cfg = SERVERS[sys.argv[1]]
    srv = Server(cfg, int(sys.argv[2]) if len(sys.argv) > 2 else 0).start()
    print(
        json.dumps(
            {
                "url": srv.url,
                "project": PROJECT,
                "job": JOB,
                "team": TEAM,
                "runs": [r.id for r in srv.core.runs],
            }
        ),
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
