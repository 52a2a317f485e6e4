"""Misbehaving HTTP servers on 127.0.0.1, written on raw sockets so they can break every rule.

Each :class:`Loopback` serves one handler per request from a thread, records what it received
and what it sent, and stops on exit (or after ``max_lifetime_s`` at the latest). Handlers wait
with :meth:`Conn.wait`, which returns early when the server stops, so no loop outlives a test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.target import TargetSettings


@dataclass
class Received:
    method: str
    target: str
    headers: dict[str, str]
    raw: bytes


@dataclass
class Conn:
    """One request on one connection, from the handler's side."""

    sock: socket.socket
    request: Received
    server: Loopback
    index: int  # 0 for the server's first request

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)
        with self.server.lock:
            self.server.bytes_sent += len(data)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if the server is stopping (the handler should return)."""
        return self.server.stopping.wait(seconds)

    def respond(
        self,
        status: int,
        body: bytes | str = b"",
        headers: Iterable[tuple[str, str]] = (),
        *,
        content_type: str | None = "application/json",
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send(head(status, headers, content_type=content_type, length=len(data)) + data)


def head(
    status: int,
    headers: Iterable[tuple[str, str]] = (),
    *,
    content_type: str | None = "application/json",
    length: int | None = None,
) -> bytes:
    lines = [f"HTTP/1.1 {status} Status", "Connection: close"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


Handler = Callable[[Conn], None]


@dataclass
class Loopback:
    """``with Loopback(handler) as server:`` ... ``server.url``, ``server.requests``."""

    handler: Handler
    max_lifetime_s: float = 30.0
    requests: list[Received] = field(default_factory=list)
    bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    _listener: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _conns: list[socket.socket] = field(default_factory=list)

    url: str = ""

    def __enter__(self) -> Loopback:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.05)
        self._listener = listener
        host, port = listener.getsockname()
        self.url = f"http://{host}:{port}"
        self._spawn(self._accept_loop)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stopping.set()
        with self.lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=5)
        assert self._listener is not None
        self._listener.close()
        alive = [thread.name for thread in self._threads if thread.is_alive()]
        assert not alive, f"server threads still running: {alive}"

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self.lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        ends = time.monotonic() + self.max_lifetime_s
        while not self.stopping.is_set() and time.monotonic() < ends:
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self._conns.append(sock)
            self._spawn(self._serve, sock)
        self.stopping.set()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(0.05)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                if self.stopping.is_set():
                    return
                try:
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk
            sock.settimeout(5)
            request = _parse(data)
            with self.lock:
                self.requests.append(request)
                index = len(self.requests) - 1
            with contextlib.suppress(OSError):  # the client hung up: that is its right
                self.handler(Conn(sock, request, self, index))


def _parse(data: bytes) -> Received:
    text = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    first, *lines = text.split("\r\n")
    method, target, _ = first.split(" ", 2)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Received(method, target, headers, data)


def refused_port() -> tuple[socket.socket, int]:
    """A bound, non-listening loopback socket (keep it open): connecting to its port is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]


TOKEN = "nf-primary-" + "7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c1e"
RESTRICTED = "nf-restricted-" + "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"


def live_settings(url: str, **overrides: Any) -> TargetSettings:
    """Settings for a run against ``url`` with short timeouts (tests stay fast)."""
    values: dict[str, Any] = {
        "base_url": url,
        "project_id": "demo",
        "job_id": "nightly",
        "token": TOKEN,
        "restricted_token": RESTRICTED,
        "timeout_s": 2.0,
        "deadline_s": 30.0,
    }
    values.update(overrides)
    return TargetSettings(**values)


class Sleeps:
    """A stand-in for time.sleep that records the waits and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
