# ruff: noqa: S108
"""Run the suite (as a subprocess, like a judge would) against one blind server.

python -m tests.blind.run_blind NAME [VARIANT ...]   -> prints one JSON line per run
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.blind.servers import JOB, PROJECT, RESTRICTED, SERVERS, TEAM, TOKEN, Server

ROOT = Path(__file__).resolve().parents[2]
REPORT_FILES = ("report.json", "junit.xml", "report.md", "report.html")


def run_one(
    name: str, variant: str, timeout: float = 240.0, report_root: str = "/tmp/blind"
) -> dict[str, Any]:
    cfg = SERVERS[name]
    srv = Server(cfg).start()
    report_dir = Path(report_root) / f"{name}__{variant}"
    if report_dir.exists():
        for f in report_dir.iterdir():
            if f.is_file():
                f.unlink()
    args = [
        sys.executable,
        "-m",
        "conformance.cli",
        "run",
        "--base-url",
        srv.url,
        "--project-id",
        PROJECT,
        "--job-id",
        JOB,
        "--report-dir",
        str(report_dir),
        "--rate",
        "200",
        "--seed",
        "1",
        "--no-color",
    ]
    if variant in ("runid_team", "runid"):
        rid = srv.run_id(cfg.run_id_index)
        if rid:
            args += ["--run-id", rid]
    if variant in ("runid_team", "team"):
        args += ["--team-id", TEAM]
    env = dict(
        os.environ,
        NORTHFLANK_API_TOKEN=TOKEN,
        NF_CONFORMANCE_RESTRICTED_TOKEN=RESTRICTED,
        PYTHONPATH=str(ROOT),
        **cfg.extra_env,
    )
    env.pop("NORTHFLANK_API_BASE_URL", None)
    t0 = time.monotonic()
    rc: int | str
    try:
        p = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT)
        )
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = "timeout", str(e.stdout or ""), str(e.stderr or "")
    dur = time.monotonic() - t0
    srv.stop()
    res: dict[str, Any] = {
        "server": name,
        "kind": cfg.kind,
        "variant": variant,
        "rc": rc,
        "duration": round(dur, 1),
        "traceback": "Traceback" in (out + err),
        "missing_reports": [f for f in REPORT_FILES if not (report_dir / f).exists()],
        "stderr_tail": err.strip().splitlines()[-3:],
        "token_leak": False,
    }
    if cfg.hostile == "redirect" and srv.aux is not None:
        res["aux_saw_token"] = any(TOKEN in a or RESTRICTED in a for a in srv.aux.seen_auth)
        res["aux_requests"] = len(srv.aux.seen_auth)
    for f in report_dir.glob("*") if report_dir.exists() else []:
        try:
            txt = f.read_text(errors="replace")
        except OSError:
            continue
        if TOKEN in txt or RESTRICTED in txt:
            res["token_leak"] = True
    if TOKEN in out + err or RESTRICTED in out + err:
        res["token_leak"] = True
    rj = report_dir / "report.json"
    if rj.exists():
        try:
            rep = json.loads(rj.read_text())
            res["failed"], res["warned"], res["skipped"] = summarize(rep)
            res["crashed"] = [
                c["id"]
                for c in rep.get("checks", [])
                if "the check itself failed" in (c.get("message") or "")
            ]
        except Exception as e:
            res["report_error"] = repr(e)
    return res


def summarize(rep: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    failed, warned, skipped = [], [], []
    for c in rep.get("checks", []):
        oc = c.get("status")
        cid = c.get("id") or c.get("check_id")
        lvl = c.get("level")
        if oc == "failed" and lvl == "MUST":
            failed.append(f"{cid}: {(c.get('message') or '')[:300]}")
        elif oc in ("failed", "warned"):
            warned.append(cid)
        elif oc == "skipped":
            skipped.append(cid)
    return failed, warned, skipped


if __name__ == "__main__":
    name = sys.argv[1]
    variants = sys.argv[2:] or list(SERVERS[name].variants)
    for v in variants:
        print(json.dumps(run_one(name, v)), flush=True)
