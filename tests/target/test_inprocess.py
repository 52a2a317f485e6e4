"""The in-process transport: streamed bodies, app failures and hangs, as a server shows them."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from conformance.target import TargetSettings, open_client

produced: list[int] = []


async def huge(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(800):  # 800 x 64 KiB = 52 MB if anyone read it all
            produced.append(65536)
            yield b"x" * 65536

    return StreamingResponse(chunks(), media_type="application/json")


async def fails(request: Request) -> Response:
    raise RuntimeError("the app broke")


async def fails_mid_body(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"data": '
        raise RuntimeError("the app broke mid-body")

    return StreamingResponse(chunks(), media_type="application/json")


async def hangs(request: Request) -> Response:
    await asyncio.sleep(30)
    return JSONResponse({})  # pragma: no cover


async def slow_ok(request: Request) -> Response:
    await asyncio.sleep(0.05)
    return JSONResponse({"thread": request.query_params["n"]})


APP = Starlette(
    routes=[
        Route("/huge", huge),
        Route("/fails", fails),
        Route("/fails-mid-body", fails_mid_body),
        Route("/hangs", hangs),
        Route("/slow-ok", slow_ok),
    ]
)


def settings(**overrides: Any) -> TargetSettings:
    return TargetSettings(
        base_url=None, project_id="p", job_id="j", token="nf-test-token-0", **overrides
    )


def test_a_huge_streamed_body_is_capped_without_producing_it_all() -> None:
    produced.clear()
    with open_client(settings(max_body_bytes=1_000_000), APP) as client:
        exchange = client.get("/huge")
    assert exchange.truncated
    assert exchange.error == "response body exceeded 1000000 bytes"
    assert len(exchange.body) == 1_000_000
    assert sum(produced) < 2_000_000, "the app waits while the client reads: no buffering"


def test_an_app_failure_before_the_response_is_a_500() -> None:
    with open_client(settings(), APP) as client:
        exchange = client.get("/fails")
    assert exchange.status == 500
    assert exchange.error is None


def test_an_app_failure_mid_body_is_a_lost_connection() -> None:
    with open_client(settings(), APP) as client:
        exchange = client.get("/fails-mid-body")
    assert exchange.status == 200
    assert exchange.error is not None
    assert exchange.error.startswith("connection lost while reading the body")
    assert exchange.body == b'{"data": '


def test_a_hanging_app_times_out_like_a_server() -> None:
    with open_client(settings(timeout_s=0.3), APP) as client:
        started = time.monotonic()
        exchange = client.get("/hangs")
        took = time.monotonic() - started
    assert exchange.status is None
    assert exchange.error == "no response within the 0.3 s per-request timeout"
    assert took < 1.0


def test_threads_share_one_client() -> None:
    results: dict[int, object] = {}
    with open_client(settings(), APP) as client:

        def worker(n: int) -> None:
            results[n] = client.get("/slow-ok", {"n": n}).json

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        took = time.monotonic() - started
    assert results == {n: {"thread": str(n)} for n in range(6)}
    assert took < 0.05 * 6, "requests run side by side"
