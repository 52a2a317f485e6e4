"""Measurement 5a: per-page latency of the mock against the size of the run it serves.

One mock per size (each its own process, HTTP on 127.0.0.1) serves one run of that many
containers. One keep-alive client per mock asks for pages spread evenly from the first to the
last at ``per_page=100`` (what a full walk uses), one request at a time, taking the sizes in
turn (round-robin, rotating who goes first), so background load falls on every size alike.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import time
from collections.abc import Sequence
from typing import Any

import httpx

from conformance.bench import servers
from conformance.bench.proc import Server
from conformance.bench.report import not_measured
from conformance.bench.stats import latency_summary, ratio

SIZES = (1_000, 100_000, 1_000_000)
PER_PAGE = 100
DISTINCT_PAGES = 50
WARMUP = 20


def page_plan(containers: int, samples: int, per_page: int = PER_PAGE) -> list[int]:
    """``samples`` page numbers, cycling over up to DISTINCT_PAGES pages from first to last."""
    last = max(1, math.ceil(containers / per_page))
    distinct = min(last, DISTINCT_PAGES)
    if distinct == 1:
        pages = [1]
    else:
        pages = sorted({1 + round(i * (last - 1) / (distinct - 1)) for i in range(distinct)})
    return [pages[i % len(pages)] for i in range(samples)]


class _Sampler:
    """One size: its server, a keep-alive client, its page plan and what it measured."""

    def __init__(self, size: int, server: Server, samples: int) -> None:
        line = servers.info(server)
        self.size = size
        self.server = server
        self.path = f"/v1/projects/{line['project_id']}/jobs/{line['job_id']}/containers"
        self.client = httpx.Client(
            base_url=servers.base_url(line),
            headers={"Authorization": f"Bearer {line['token']}", "Accept": "application/json"},
            timeout=30,
        )
        self.plan = page_plan(size, samples)
        self.latencies: list[float] = []
        self.by_page: dict[int, list[float]] = {}
        self.statuses: dict[int, int] = {}

    def get(self, page: int) -> tuple[int, float]:
        started = time.perf_counter()
        response = self.client.get(self.path, params={"per_page": PER_PAGE, "page": page})
        _ = response.content
        return response.status_code, time.perf_counter() - started

    def sample(self, index: int) -> None:
        page = self.plan[index]
        status, elapsed = self.get(page)
        self.latencies.append(elapsed)
        self.by_page.setdefault(page, []).append(elapsed)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def row(self) -> dict[str, Any]:
        first, last = min(self.by_page), max(self.by_page)
        summary = latency_summary(self.latencies)
        return {
            "containers": self.size,
            "samples": summary.pop("count"),
            **summary,
            "first_page_ms": round(statistics.median(self.by_page[first]) * 1000, 3),
            "last_page_ms": round(statistics.median(self.by_page[last]) * 1000, 3),
            "last_page": last,
            "statuses": {str(code): count for code, count in sorted(self.statuses.items())},
        }


def measure(samples: int = 300, sizes: Sequence[int] = SIZES) -> dict[str, Any]:
    samplers: list[_Sampler] = []
    startup: dict[int, float] = {}
    with contextlib.ExitStack() as stack:
        for size in sizes:
            started = time.perf_counter()
            server = stack.enter_context(servers.counted_mock(size))
            startup[size] = time.perf_counter() - started
            sampler = _Sampler(size, server, samples)
            stack.callback(sampler.client.close)
            samplers.append(sampler)
        for sampler in samplers:
            for page in sampler.plan[:WARMUP]:
                sampler.get(page)
        for index in range(samples):
            shift = index % len(samplers)
            for sampler in samplers[shift:] + samplers[:shift]:
                sampler.sample(index)
    rows = []
    for sampler in samplers:
        row = sampler.row()
        usage = sampler.server.usage
        row["server_startup_s"] = round(startup[sampler.size], 3)
        row["server_peak_rss_mib"] = usage.peak_rss_mib if usage else None
        rows.append(row)
        if set(row["statuses"]) != {"200"}:
            return not_measured(
                f"the mock at {sampler.size:,} containers answered {row['statuses']}"
            )
    by_size = {row["containers"]: row for row in rows}
    ratios: dict[str, float | None] = {}
    if 1_000 in by_size:
        for size, label in ((100_000, "100k"), (1_000_000, "1M")):
            if size in by_size:
                for key in ("p50", "p99"):
                    ratios[f"{key} {label} / 1k"] = ratio(
                        by_size[size][f"{key}_ms"], by_size[1_000][f"{key}_ms"]
                    )
    return {
        "status": "measured",
        "method": (
            f"One mock per size, all running at once (own processes, HTTP on 127.0.0.1); "
            f"{samples} sequential GETs each at per_page={PER_PAGE} over up to {DISTINCT_PAGES} "
            f"pages spread from the first to the last, one keep-alive client per mock, the sizes "
            f"taken in turn, after {WARMUP} warm-up requests each."
        ),
        "sizes": rows,
        "ratios": ratios,
    }
