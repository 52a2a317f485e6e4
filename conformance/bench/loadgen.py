"""A bounded async load generator (httpx), used when wrk is not installed.

It measures the same things as wrk (requests per second, p50/p99 latency) but costs more CPU
per request than wrk, on the same 2 cores as the server; the report says which generator ran.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from conformance.bench.stats import latency_summary


async def _load(
    url: str, *, concurrency: int, duration_s: float, max_requests: int, headers: dict[str, str]
) -> dict[str, Any]:
    latencies: list[float] = []
    non_2xx = 0
    errors = 0
    sent = 0
    deadline = time.perf_counter() + duration_s
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=5.0) as client:

        async def worker() -> None:
            nonlocal non_2xx, errors, sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                if not 200 <= response.status_code < 400:
                    non_2xx += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    figures: dict[str, Any] = latency_summary(latencies) if latencies else {}
    figures.pop("count", None)
    return {
        "requests": len(latencies),
        "duration_s": round(elapsed, 3),
        "requests_per_s": round(len(latencies) / elapsed, 1) if elapsed else None,
        **figures,
        "non_2xx_or_3xx": non_2xx,
        "socket_errors": errors,
    }


def run(
    url: str,
    *,
    concurrency: int,
    duration_s: float,
    headers: dict[str, str],
    max_requests: int = 200_000,
) -> dict[str, Any]:
    """Load ``url`` (loopback only) with ``concurrency`` workers for ``duration_s`` at most."""
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"load only ever targets loopback, not {url!r}")
    figures = asyncio.run(
        _load(
            url,
            concurrency=concurrency,
            duration_s=duration_s,
            max_requests=max_requests,
            headers=headers,
        )
    )
    figures["concurrency"] = concurrency
    figures["generator"] = "python-httpx"
    return figures
