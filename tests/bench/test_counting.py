from __future__ import annotations

import asyncio

import httpx

from conformance.bench.counting import COUNT_PATH, CountingMiddleware


async def _ok(scope, receive, send):  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_counts_every_request_by_method_and_not_its_own_path() -> None:
    app = CountingMiddleware(_ok)

    async def scenario() -> dict[str, object]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for _ in range(3):
                assert (await client.get("/v1/x")).status_code == 204
            await client.post("/v1/x")
            counted: dict[str, object] = (await client.get(COUNT_PATH)).json()
            return counted

    counted = asyncio.run(scenario())
    assert counted == {
        "requests": 4,
        "by_method": {"GET": 3, "POST": 1},
        "by_status": {"204": 4},
    }
    assert app.total == 4
