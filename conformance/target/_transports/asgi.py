"""A synchronous httpx transport that calls an ASGI app in process: no sockets, streamed bodies.

Used for the built-in mock. starlette's TestClient would do, but it now warns when used with
httpx (it wants httpx2, whose types differ from the httpx the rest of the suite uses), so this
small transport does the same job: every request runs the app on one shared event loop thread,
the head and the first 256 KB of body come back in one hop, the rest through a zero-buffer
channel (the app waits while the client reads, so a huge body is never held in memory), and
``live.deadline`` bounds every wait.
Lifespan events are not sent.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc
import anyio.from_thread
import httpx

from conformance.target._decoding import ACCEPT_ENCODING
from conformance.target._transports import live
from conformance.target._transports.live import Clip

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from starlette.types import ASGIApp, Message


logger = logging.getLogger(__name__)


_shared: tuple[int, anyio.from_thread.BlockingPortal] | None = None  # (pid, portal)
_shared_lock = threading.Lock()


def _portal() -> anyio.from_thread.BlockingPortal:
    """The event loop every in-process app runs on: one daemon thread per process, started on
    first use (a new loop per request costs more than the mock's answer)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared[0] != os.getpid():  # a forked child starts its own
            _shared = (os.getpid(), _start_portal())
        return _shared[1]


def _start_portal() -> anyio.from_thread.BlockingPortal:
    ready: queue.Queue[anyio.from_thread.BlockingPortal] = queue.Queue()

    async def serve() -> None:
        async with anyio.from_thread.BlockingPortal() as portal:
            ready.put(portal)
            await portal.sleep_until_stopped()

    threading.Thread(target=anyio.run, args=(serve,), name="asgi-apps", daemon=True).start()
    return ready.get()


# Body bytes gathered with the response head in one hop to the app's thread; a longer body
# streams from there, one chunk per hop, so a huge one is never held in memory.
HEAD_BUFFER = 256 * 1024


class ASGIAppTransport(httpx.BaseTransport):
    """Serves httpx requests from ``app``; an app error before the response start is a 500."""

    def __init__(self, app: ASGIApp, clip: Clip) -> None:
        self.app = app
        self._clip = clip  # what is left of the thread's per-request deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        stack = contextlib.ExitStack()
        portal = _portal()
        try:
            body = request.read()
            served, opened = portal.start_task(
                _serve, self.app, _scope(request), body, self._seconds(httpx.ReadTimeout)
            )
            stack.callback(served.exception)  # wait for the app to finish before the portal
            if isinstance(opened, BaseException):
                raise opened
            if not opened.complete:
                stack.callback(lambda: portal.call(opened.cancel.cancel))
            if opened.start is None:
                stack.close()
                return httpx.Response(500, request=request, text="Internal Server Error")
        except BaseException:
            stack.close()
            raise
        return httpx.Response(
            opened.start["status"],
            headers=opened.start.get("headers", []),
            stream=_Body(self, portal, opened, stack),
            request=request,
        )

    def _seconds(self, error: type[httpx.TimeoutException]) -> float:
        left = self._clip(None, error)
        return math.inf if left is None else left

    def _receive(
        self, portal: anyio.from_thread.BlockingPortal, rx: MemoryObjectReceiveStream[Message]
    ) -> Message | None:
        """The app's next message; None when it has finished."""
        return portal.call(_next, rx, self._seconds(httpx.ReadTimeout))


@dataclass
class _Opened:
    """What one hop to the app's thread brought back: the head and the first body bytes."""

    start: Message | None  # None: the app finished without starting a response
    chunks: list[bytes]
    complete: bool  # the whole body is in chunks
    ended: bool  # the app stopped (complete or not): nothing more will come
    rx: MemoryObjectReceiveStream[Message]
    cancel: anyio.CancelScope


class _Body(httpx.SyncByteStream):
    def __init__(
        self,
        transport: ASGIAppTransport,
        portal: anyio.from_thread.BlockingPortal,
        opened: _Opened,
        stack: contextlib.ExitStack,
    ) -> None:
        self._transport = transport
        self._portal = portal
        self._opened = opened
        self._stack = stack

    def __iter__(self) -> Iterator[bytes]:
        yield from self._opened.chunks
        if self._opened.complete:
            return
        if self._opened.ended:
            raise httpx.RemoteProtocolError("the app stopped before the body was complete")
        while True:
            message = self._transport._receive(self._portal, self._opened.rx)
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


async def _serve(
    app: ASGIApp,
    scope: dict[str, Any],
    body: bytes,
    seconds: float,
    *,
    task_status: anyio.abc.TaskStatus[_Opened | Exception],
) -> None:
    """Run the app; hand back its head and first body bytes (or the error), then serve the rest."""
    tx, rx = anyio.create_memory_object_stream[Any](0)
    cancel = anyio.CancelScope()
    async with rx, anyio.create_task_group() as group:
        group.start_soon(_run, app, scope, body, tx, cancel)
        try:
            opened = await _gather(rx, cancel, seconds)
        except Exception as error:  # a timeout: the caller raises it, the app is stopped
            cancel.cancel()
            task_status.started(error)
            return
        task_status.started(opened)


async def _gather(
    rx: MemoryObjectReceiveStream[Message], cancel: anyio.CancelScope, seconds: float
) -> _Opened:
    start: Message | None = None
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(seconds):
            async for message in rx:
                if message["type"] == "http.response.start" and start is None:
                    start = message
                elif message["type"] == "http.response.body" and start is not None:
                    chunk = bytes(message.get("body", b""))
                    chunks.append(chunk)
                    size += len(chunk)
                    if not message.get("more_body", False):
                        return _Opened(start, chunks, True, True, rx, cancel)
                    if size >= HEAD_BUFFER:
                        return _Opened(start, chunks, False, False, rx, cancel)
    except TimeoutError:
        raise httpx.ReadTimeout("no complete response within the per-request deadline") from None
    return _Opened(start, chunks, False, True, rx, cancel)


async def _next(rx: MemoryObjectReceiveStream[Message], seconds: float) -> Message | None:
    try:
        with anyio.fail_after(seconds):
            return await rx.receive()
    except (anyio.EndOfStream, anyio.ClosedResourceError):
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
