"""Child processes of the bench: measured one-shot commands and servers that are always stopped.

Every child starts in its own session (process group) so stopping it also stops anything it
started. Each runs under ``conformance.bench.trampoline``, which measures it with ``os.wait4``
from a small process: a child forked straight from the bench would count the bench's own memory
in its peak RSS.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class Usage:
    """What one finished child cost: wall time, CPU time, peak resident memory."""

    exit_code: int
    wall_s: float
    cpu_user_s: float
    cpu_system_s: float
    peak_rss_kib: int
    timed_out: bool = False

    @property
    def cpu_s(self) -> float:
        return self.cpu_user_s + self.cpu_system_s

    @property
    def peak_rss_mib(self) -> float:
        return round(self.peak_rss_kib / 1024, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "cpu_user_s": round(self.cpu_user_s, 3),
            "cpu_system_s": round(self.cpu_system_s, 3),
            "peak_rss_mib": self.peak_rss_mib,
            "timed_out": self.timed_out,
        }


@dataclass(frozen=True)
class Finished:
    usage: Usage
    stdout: str
    stderr: str


def _kill_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def measured(argv: Sequence[str], usage_file: Path) -> list[str]:
    """``argv`` run under the trampoline, which writes its usage to ``usage_file``."""
    trampoline = [sys.executable, "-m", "conformance.bench.trampoline", str(usage_file), "--"]
    return [*trampoline, *argv]


def _reap(proc: subprocess.Popen[Any], started: float, timed_out: bool, usage_file: Path) -> Usage:
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        own = json.loads(usage_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # killed before the command ended: the trampoline's figures
        own = {
            "wall_s": wall,
            "cpu_user_s": rusage.ru_utime,
            "cpu_system_s": rusage.ru_stime,
            "peak_rss_kib": rusage.ru_maxrss,
        }
    return Usage(
        exit_code=proc.returncode,
        wall_s=own["wall_s"],
        cpu_user_s=own["cpu_user_s"],
        cpu_system_s=own["cpu_system_s"],
        peak_rss_kib=own["peak_rss_kib"],
        timed_out=timed_out,
    )


def run_measured(
    argv: Sequence[str],
    *,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Finished:
    """Run ``argv`` to completion (killed after ``timeout_s``) and measure it."""
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        usage_file = Path(scratch) / "usage.json"
        started = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - argv is built by the bench, never from input
            measured(argv, usage_file),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            _kill_group(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, expire)
        timer.start()
        try:
            usage = _reap(proc, started, timed_out=False, usage_file=usage_file)
        finally:
            timer.cancel()
            _kill_group(proc.pid, signal.SIGKILL)  # anything the child left behind
        if expired.is_set():
            usage = Usage(**{**usage.__dict__, "timed_out": True})
        out.seek(0)
        err.seek(0)
        return Finished(usage=usage, stdout=out.read(), stderr=err.read())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class ServerFailed(Exception):
    """A server did not come up; the message carries its output."""


@dataclass
class Server:
    """A server child. Use as a context manager: leaving it always stops the process group."""

    argv: list[str]
    ready: Callable[[Server], bool]
    env: Mapping[str, str] | None = None
    cwd: str | Path | None = None
    startup_timeout_s: float = 60.0
    proc: subprocess.Popen[Any] | None = field(default=None, init=False)
    usage: Usage | None = field(default=None, init=False)
    _out: TextIO | None = field(default=None, init=False)
    _err: TextIO | None = field(default=None, init=False)
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)
    _started: float = field(default=0.0, init=False)

    def __enter__(self) -> Server:
        self._out = tempfile.TemporaryFile("w+")  # closed in stop()
        self._err = tempfile.TemporaryFile("w+")  # closed in stop()
        self._scratch = tempfile.TemporaryDirectory()  # removed in stop()
        self._started = time.perf_counter()
        self.proc = subprocess.Popen(  # noqa: S603 - argv is built by the bench
            measured(self.argv, self._usage_file),
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            env=dict(self.env) if self.env is not None else None,
            cwd=self.cwd,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + self.startup_timeout_s
            while not self.ready(self):
                if self.proc.poll() is not None:
                    raise ServerFailed(f"{self.argv[0]} exited early: {self.output()[-2000:]}")
                if time.monotonic() > deadline:
                    raise ServerFailed(f"{self.argv[0]} not ready: {self.output()[-2000:]}")
                time.sleep(0.05)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def _usage_file(self) -> Path:
        assert self._scratch is not None, "the server has not started"
        return Path(self._scratch.name) / "usage.json"

    def stdout(self) -> str:
        if self._out is None or self._out.closed:
            return ""
        self._out.flush()
        return Path(f"/proc/self/fd/{self._out.fileno()}").read_text(errors="replace")

    def output(self) -> str:
        err = ""
        if self._err is not None and not self._err.closed:
            err = Path(f"/proc/self/fd/{self._err.fileno()}").read_text(errors="replace")
        return self.stdout() + err

    def first_json_line(self) -> dict[str, Any] | None:
        """The first stdout line, parsed, once it is complete; None before that."""
        text = self.stdout()
        if "\n" not in text:
            return None
        line = text.split("\n", 1)[0].strip()
        try:
            parsed: dict[str, Any] = json.loads(line)
        except ValueError:
            raise ServerFailed(f"first line is not JSON: {line[:200]!r}") from None
        return parsed

    def stop(self, grace_s: float = 5.0) -> Usage | None:
        """SIGTERM the group, SIGKILL it after ``grace_s``; returns the server's usage."""
        if self.proc is not None and self.proc.returncode is None:
            _kill_group(self.proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + grace_s
            while time.monotonic() < deadline:
                flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
                if os.waitid(os.P_PID, self.proc.pid, flags) is not None:
                    break
                time.sleep(0.05)
            _kill_group(self.proc.pid, signal.SIGKILL)
            self.usage = _reap(self.proc, self._started, False, self._usage_file)
        for handle in (self._out, self._err):
            if handle is not None and not handle.closed:
                handle.close()
        if self._scratch is not None:
            self._scratch.cleanup()
        return self.usage
