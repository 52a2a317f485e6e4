"""The servers the bench measures: the mock (ours, counted), the mock as ``nf-conformance mock``
serves it, and Stoplight Prism serving our spec. Each is a :class:`Server`: always stopped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from conformance.bench.counting import COUNT_PATH
from conformance.bench.proc import Server, free_port, port_open
from conformance.spec import FRAGMENT_PATH


def tool(name: str) -> str:
    """An executable of this environment (next to the running Python), else ``python -m``."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def _json_ready(server: Server) -> bool:
    return server.first_json_line() is not None


def counted_mock(containers: int | None = None, *, startup_timeout_s: float = 60.0) -> Server:
    """``python -m conformance.bench.serve``: the mock behind a request counter."""
    argv = [sys.executable, "-m", "conformance.bench.serve"]
    if containers is not None:
        argv += ["--containers", str(containers)]
    return Server(argv, ready=_json_ready, startup_timeout_s=startup_timeout_s)


def cli_mock() -> Server:
    """The mock as users start it: ``nf-conformance mock --port 0 --json``."""
    argv = [tool("nf-conformance"), "mock", "--port", "0", "--json"]
    return Server(argv, ready=_json_ready)


def info(server: Server) -> dict[str, Any]:
    line = server.first_json_line()
    if line is None:
        raise RuntimeError("the server has not printed its JSON line")
    return line


def base_url(line: dict[str, Any]) -> str:
    for key in ("base_url", "url", "baseUrl"):
        if isinstance(line.get(key), str):
            return str(line[key]).rstrip("/")
    raise KeyError(f"no base URL in the server's JSON line (keys: {sorted(line)})")


def counted_requests(url: str) -> dict[str, Any]:
    """What :class:`CountingMiddleware` has counted so far (its own path is not counted)."""
    body: dict[str, Any] = httpx.get(url + COUNT_PATH, timeout=10).json()
    return body


def _prism_ready(port: int) -> Any:
    def ready(server: Server) -> bool:
        del server
        if not port_open(port):
            return False
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
        except httpx.HTTPError:
            return False
        return True

    return ready


def prism(path: str, *, spec: Path = FRAGMENT_PATH) -> tuple[Server, str]:
    """``prism mock <spec> -h 127.0.0.1 -p <port>``, and its base URL."""
    port = free_port()
    argv = [path, "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    return Server(argv, ready=_prism_ready(port), startup_timeout_s=90), f"http://127.0.0.1:{port}"


def prism_version(path: str) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed argv
        [path, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"
