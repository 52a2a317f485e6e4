"""A synchronous httpx transport that calls an ASGI app in process: no sockets, streamed bodies.

Used for the built-in mock. starlette's TestClient would do, but it now warns when used with
httpx (it wants httpx2, whose types differ from the httpx the rest of the suite uses), so this
small transport does the same job: each request runs the app on its own event loop thread,
the body comes through a zero-buffer channel (the app waits while the client reads, so a huge
body is never held in memory), and ``live.deadline`` bounds every wait.
Lifespan events are not sent.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import anyio
import anyio.from_thread
import httpx

from conformance.target._decoding import ACCEPT_ENCODING
from conformance.target._transports import live
from conformance.target._transports.live import Clip

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from starlette.types import ASGIApp, Message


logger = logging.getLogger(__name__)


class ASGIAppTransport(httpx.BaseTransport):
    """Serves httpx requests from ``app``; an app error before the response start is a 500."""

    def __init__(self, app: ASGIApp, clip: Clip) -> None:
        self.app = app
        self._clip = clip  # what is left of the thread's per-request deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        stack = contextlib.ExitStack()
        portal = stack.enter_context(anyio.from_thread.start_blocking_portal())
        try:
            tx, rx = portal.call(_channel)
            stack.callback(lambda: portal.call(_close, tx, rx))
            scope = _scope(request)
            cancel = portal.call(anyio.CancelScope)
            body = request.read()
            future = portal.start_task_soon(_run, self.app, scope, body, tx, cancel)
            stack.callback(future.exception)  # wait for the app to finish before the portal
            stack.callback(lambda: portal.call(cancel.cancel))
            start = self._receive(portal, rx, httpx.ReadTimeout)
            if start is None or start["type"] != "http.response.start":
                stack.close()
                return httpx.Response(500, request=request, text="Internal Server Error")
        except BaseException:
            stack.close()
            raise
        return httpx.Response(
            start["status"],
            headers=start.get("headers", []),
            stream=_Body(self, portal, rx, stack),
            request=request,
        )

    def _receive(
        self,
        portal: anyio.from_thread.BlockingPortal,
        rx: MemoryObjectReceiveStream[Message],
        error: type[httpx.TimeoutException],
    ) -> Message | None:
        """The app's next message; None when it has finished."""
        left = self._clip(None, error)
        return portal.call(_next, rx, math.inf if left is None else left)


class _Body(httpx.SyncByteStream):
    def __init__(
        self,
        transport: ASGIAppTransport,
        portal: anyio.from_thread.BlockingPortal,
        rx: MemoryObjectReceiveStream[Message],
        stack: contextlib.ExitStack,
    ) -> None:
        self._transport = transport
        self._portal = portal
        self._rx = rx
        self._stack = stack

    def __iter__(self) -> Iterator[bytes]:
        while True:
            message = self._transport._receive(self._portal, self._rx, httpx.ReadTimeout)
            if message is None:
                raise httpx.RemoteProtocolError("the app stopped before the body was complete")
            if message["type"] != "http.response.body":
                continue
            if message.get("body"):
                yield bytes(message["body"])
            if not message.get("more_body", False):
                return

    def close(self) -> None:
        self._stack.close()


def _channel() -> tuple[MemoryObjectSendStream[Message], MemoryObjectReceiveStream[Message]]:
    return anyio.create_memory_object_stream[Any](0)


async def _close(
    tx: MemoryObjectSendStream[Message], rx: MemoryObjectReceiveStream[Message]
) -> None:
    await tx.aclose()
    await rx.aclose()


async def _next(rx: MemoryObjectReceiveStream[Message], seconds: float) -> Message | None:
    try:
        with anyio.fail_after(seconds):
            return await rx.receive()
    except anyio.EndOfStream:
        return None
    except TimeoutError:
        raise httpx.ReadTimeout("no complete response within the per-request deadline") from None


async def _run(
    app: ASGIApp,
    scope: dict[str, Any],
    body: bytes,
    tx: MemoryObjectSendStream[Message],
    cancel: anyio.CancelScope,
) -> None:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()  # the client never disconnects early; cancel ends this
        raise AssertionError("unreachable")  # pragma: no cover

    async def send(message: Message) -> None:
        await tx.send(message)

    with cancel, tx:
        try:
            await app(scope, receive, send)
        except Exception:  # like a server: the client sees a 500 or a cut body
            where = f"{scope['method']} {scope['path']}"
            logger.debug("the in-process app failed on %s", where, exc_info=True)


def _scope(request: httpx.Request) -> dict[str, Any]:
    url = request.url
    headers = [(key.lower(), value) for key, value in request.headers.raw]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "query_string": url.query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": (url.host, url.port or {"https": 443}.get(url.scheme, 80)),
        "extensions": {},
        "state": {},
    }


def mock_http(app: ASGIApp) -> httpx.Client:
    """An in-process client for the mock: no sockets, streamed bodies, the same deadlines."""
    return httpx.Client(
        base_url=live.MOCK_BASE_URL,
        follow_redirects=False,
        headers={"Accept-Encoding": ACCEPT_ENCODING},
        transport=ASGIAppTransport(app, live.clip),
        trust_env=False,
    )
