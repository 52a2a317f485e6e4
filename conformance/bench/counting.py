"""An ASGI middleware that counts the HTTP requests a server receives.

The bench wraps the mock in it (the mock itself is not edited) to count what a client really
sent, whatever the client says about itself. ``GET /__bench__/count`` answers the count and is
not counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COUNT_PATH = "/__bench__/count"


class CountingMiddleware:
    """Counts requests by method and responses by status; the rest passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.by_method: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == COUNT_PATH:
            body = json.dumps(
                {
                    "requests": self.total,
                    "by_method": dict(self.by_method),
                    "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                }
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body.encode()})
            return
        self.by_method[scope["method"]] += 1

        async def counted_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.by_status[int(message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counted_send)
