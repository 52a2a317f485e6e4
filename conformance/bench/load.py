"""Measurement 4: the mock over HTTP under load, and Stoplight Prism serving our spec the same way.

Both servers get the same request (a first page of the job's containers, with the
Authorization header) at the same concurrency levels, from the same generator: wrk when
installed, else the bounded httpx generator. Both servers run at once and each level
alternates between them (a few repeats each, the median kept), so the background load of a
shared machine falls on both alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from conformance.bench import loadgen, servers, wrk
from conformance.bench.proc import Server, ServerFailed
from conformance.bench.report import not_measured
from conformance.bench.stats import ratio

LEVELS = (1, 8, 32)

Generator = Callable[[str, int, float, dict[str, str]], dict[str, Any]]


def generator(wrk_path: str | None) -> tuple[str, Generator]:
    if wrk_path:

        def with_wrk(url: str, c: int, d: float, headers: dict[str, str]) -> dict[str, Any]:
            return wrk.run(wrk_path, url, connections=c, duration_s=d, headers=headers)

        return f"wrk ({wrk.wrk_version(wrk_path)})", with_wrk

    def with_httpx(url: str, c: int, d: float, headers: dict[str, str]) -> dict[str, Any]:
        return loadgen.run(url, concurrency=c, duration_s=d, headers=headers)

    return "python-httpx async (wrk not installed)", with_httpx


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median requests/s; its latencies come with it, and every rate is kept."""
    ordered = sorted(runs, key=lambda run: run.get("requests_per_s") or 0.0)
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["repeats_requests_per_s"] = [run.get("requests_per_s") for run in runs]
    return chosen


def _levels(
    load: Generator,
    targets: dict[str, str],
    headers: dict[str, str],
    levels: Sequence[int],
    duration_s: float,
    repeats: int,
) -> dict[str, list[dict[str, Any]]]:
    """Per level: a 1 s warm-up of each target, then ``repeats`` runs of each, alternating, so
    that background load on the machine falls on every target alike."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    for level in levels:
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
        for url in targets.values():
            load(url, level, 1.0, headers)  # warm-up, discarded
        for _ in range(repeats):
            for name, url in targets.items():
                runs[name].append(load(url, level, duration_s, headers))
        for name in targets:
            rows[name].append(_median_run(runs[name]))
    return rows


def _ours() -> tuple[Server, str]:
    """``nf-conformance mock`` as shipped when it prints what we need, else the bench's own."""
    try:
        server = servers.cli_mock().__enter__()
    except ServerFailed as error:
        return servers.counted_mock().__enter__(), f"bench's own server ({error})"[:300]
    line = servers.info(server)
    if not {"project_id", "job_id", "token"} <= set(line) or "base_url" not in line:
        server.stop()
        missing = "nf-conformance mock --json lacks base_url/project_id/job_id/token"
        return servers.counted_mock().__enter__(), f"bench's own server ({missing})"
    return server, "nf-conformance mock --port 0 --json"


def measure(
    *,
    wrk_path: str | None,
    prism_path: str | None,
    prism_missing: str,
    levels: Sequence[int] = LEVELS,
    duration_s: float = 3.0,
    repeats: int = 3,
) -> dict[str, Any]:
    name, load = generator(wrk_path)
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        server, served_by = _ours()
        stack.callback(server.stop)
        line = servers.info(server)
        path = f"/v1/projects/{line['project_id']}/jobs/{line['job_id']}/containers"
        headers = {"Authorization": f"Bearer {line['token']}", "Accept": "application/json"}
        targets = {"ours": servers.base_url(line) + path}
        prism: list[dict[str, Any]] | dict[str, Any] = not_measured(prism_missing)
        if prism_path is not None:
            prism_server, prism_url = servers.prism(prism_path)
            try:
                stack.enter_context(prism_server)
                targets["prism"] = prism_url + path
            except ServerFailed as error:
                prism = not_measured(f"Prism did not start: {error}"[:500])
        rows = _levels(load, targets, headers, levels, duration_s, repeats)
    ours = rows["ours"]
    notes.append(f"Mock served by {served_by}.")
    if wrk_path is None:
        notes.append(
            "wrk was absent: the Python generator shares the cores with the servers and costs "
            "more per request than they do, so it saturates first; both columns understate."
        )
    if "prism" in rows:
        prism = rows["prism"]
        for theirs, mine in zip(prism, ours, strict=True):
            theirs["ratio_requests_per_s"] = ratio(mine["requests_per_s"], theirs["requests_per_s"])
        notes.append(
            "Prism answers the spec's static example (bytes per response: mock "
            f"{ours[0].get('bytes_per_response')}, Prism {prism[0].get('bytes_per_response')})."
        )
    for label, result in (("mock", ours), ("Prism", prism)):
        if isinstance(result, list) and any(row.get("non_2xx_or_3xx") for row in result):
            notes.append(f"{label} answered some requests with a non-2xx status: see the table.")
    return {
        "status": "measured",
        "generator": name,
        "duration_s": duration_s,
        "repeats": repeats,
        "path": path,
        "ours": ours,
        "prism": prism,
        "notes": notes,
    }
