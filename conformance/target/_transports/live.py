"""The httpx clients under :class:`~conformance.target.TargetClient`.

Live targets get an :class:`httpx.Client` whose sockets enforce a *total* deadline per request:
httpx's own timeout applies to each read, so a server sending one byte a second would never trip
it, even while still sending its headers. :func:`deadline` sets that total for the requests the
current thread sends, and every connect, read and write is cut to what is left of it.
The built-in mock is reached in process, without sockets (``_transports.asgi``).
"""

from __future__ import annotations

import contextlib
import threading
import time
import typing
import urllib.request
from collections.abc import Iterable, Iterator

import httpcore
import httpx

from conformance.target._decoding import ACCEPT_ENCODING

if typing.TYPE_CHECKING:
    import ssl


MOCK_BASE_URL = "http://mock.invalid"

_local = threading.local()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Socket operations of this thread must all be done within ``seconds`` from now."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = previous


Clip = typing.Callable[[float | None, type[Exception]], float | None]


def clip(timeout: float | None, error: type[Exception]) -> float | None:
    """The per-operation timeout cut to the thread's deadline; raise ``error`` if it passed."""
    end: float | None = getattr(_local, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("no complete response within the per-request deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        clipped = clip(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, clipped))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        clipped = clip(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, clipped, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - targets are URLs, never sockets
        clipped = clip(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, clipped, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - used by httpcore retries only
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport with :func:`deadline`-aware sockets, through ``proxy`` if given."""

    def __init__(self, proxy: str | None = None) -> None:
        super().__init__(proxy=proxy, retries=0)
        # httpcore takes a network backend only at construction and httpx does not pass one
        # through, so wrap the one the pool already has (ConnectionPool and HTTPProxy alike).
        pool = typing.cast("typing.Any", self._pool)
        pool._network_backend = _DeadlineBackend(pool._network_backend)


def environment_proxy(base_url: str) -> str | None:
    """The HTTP(S)_PROXY the environment sets for ``base_url``, honouring NO_PROXY."""
    url = httpx.URL(base_url)
    if urllib.request.proxy_bypass(url.host):
        return None
    return urllib.request.getproxies().get(url.scheme)


def live_http(base_url: str, timeout_s: float) -> httpx.Client:
    """A client for a live target: never follows redirects, total deadline per request."""
    return httpx.Client(
        base_url=base_url,
        follow_redirects=False,
        timeout=httpx.Timeout(timeout_s),
        headers={"Accept-Encoding": ACCEPT_ENCODING},  # only what _decoding decodes, bounded
        transport=DeadlineTransport(proxy=environment_proxy(base_url)),
        trust_env=False,  # the proxy is resolved above; no .netrc credentials are ever added
    )
