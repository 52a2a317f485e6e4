"""Serve the mock over real HTTP on 127.0.0.1 with uvicorn: in a thread for tests, or blocking
for ``nf-conformance mock`` (SIGINT and SIGTERM end it cleanly)."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

HOST = "127.0.0.1"
_STARTUP_S = 10.0


class PortUnavailable(OSError):
    """The port could not be bound (in use, or not allowed)."""


def bind(port: int) -> socket.socket:
    """A listening-ready TCP socket on 127.0.0.1:``port`` (0: a free port)."""
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; without it every
    # keep-alive response waits ~40 ms for a delayed ACK (Nagle; found by the bench).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise PortUnavailable(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class _Running:
    """A uvicorn server on its own thread."""

    def __init__(self, app: ASGIApp, sock: socket.socket) -> None:
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.sock = sock
        self.port: int = sock.getsockname()[1]
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="nf-mock-server", daemon=True)

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        except BaseException as error:  # reported to the caller by start()
            self.failure = error

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + _STARTUP_S
        while not (self.server.started and _accepts(self.port)):
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the mock did not start on {self.base_url}: {self.failure!r}")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@contextlib.contextmanager
def serve_in_thread(app: ASGIApp, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1; yields the base URL once it accepts connections."""
    running = _Running(app, bind(port))
    running.start()
    try:
        yield running.base_url
    finally:
        running.stop()


def serve_until_signalled(app: ASGIApp, port: int, on_ready: Callable[[str], None]) -> None:
    """Serve ``app`` until SIGINT or SIGTERM; ``on_ready(base_url)`` once it accepts connections.

    Must run in the main thread (signal handlers). Raises :class:`PortUnavailable`.
    """
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        running = _Running(app, bind(port))
        running.start()
        try:
            on_ready(running.base_url)
            while not stop.wait(0.2) and running.thread.is_alive():
                pass
        finally:
            running.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
