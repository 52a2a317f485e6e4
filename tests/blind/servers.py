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
    def __init__(self, status: int, message: str, details: Any = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


SECRET = b"blind-cursor-secret"


class ListingCore:
    """The endpoint's logic, independent of the HTTP stack."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.runs = make_runs(cfg)
        self.cursor_table: dict[str, tuple[int, int, str]] = {}
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
                    o, pp, r = self.cursor_table[cur]
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
    def ordered(self, run: Run) -> list[dict[str, Any]]:
        c = list(run.containers)
        if self.cfg.order == "newest":
            c.sort(key=lambda x: (-x["createdAt"], x["name"]))
        elif self.cfg.order == "oldest":
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
            return 200, self.list_runs(q)
        if who == "restricted":
            if self.cfg.hide_forbidden:
                raise ApiError(404, "Job not found")
            raise ApiError(
                403, "Missing permission: Project > Jobs > Deployment > View Instance Logs"
            )
        return 200, self.list_containers(q, team is not None)

    def list_runs(self, q: dict[str, str]) -> Any:
        per_page = self.int_param(q, "per_page", 50, 1, 100, "clamp")
        page = self.int_param(q, "page", 1, 1, None, "first")
        runs = self.runs[(page - 1) * per_page : page * per_page]
        out = []
        for r in runs:
            done = r.status != "RUNNING"
            n = len(r.containers)
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
        return {"data": {"runs": out}, "pagination": {"hasNextPage": has_next, "count": len(out)}}

    def list_containers(self, q: dict[str, str], team_route: bool) -> Any:
        cfg, bug = self.cfg, self.cfg.bug
        per_page = self.int_param(q, "per_page", 50, 1, 100, cfg.bad_per_page)
        run_id_q = q.get("runId")
        if bug == "team-ignores-runid" and team_route:
            run_id_q = None  # the team handler forgot to forward the filter
        via = "plain"
        offset = 0
        cursor = q.get("cursor")
        run: Run | None
        if cursor:
            via = "cursor"
            offset, pp_c, run_c = self.dec(cursor)
            if "per_page" not in q and pp_c is not None:
                per_page = pp_c
            rid = run_c or run_id_q
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
        items = self.ordered(run)
        chunk = items[offset : offset + per_page]
        nxt = offset + per_page
        has_next = nxt < len(items)
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
        pag: dict[str, Any] = {"hasNextPage": has_next, "count": count}
        if has_next:
            # bug cursor-drops-runid: the encoder takes the job's current run, not the filter's
            cur_run = self.runs[0].id if bug == "cursor-drops-runid" and run_id_q else run.id
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
        raw = json.dumps(body, separators=(",", ":")).encode()
        h = {"Content-Type": "application/json; charset=utf-8"}
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
        status, h, raw = self.core.answer(self.command, self.path, hdrs)
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
        if cfg.chunked and raw:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(raw), 1000):
                part = raw[i : i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

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
        raise AssertionError(mode)


GZ_BOMB: bytes | None = None


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
