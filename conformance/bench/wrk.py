"""Load with Debian's ``wrk``: the command, a Lua ``done`` hook that prints exact figures as one
JSON line, and a parser for both that line and wrk's own text output (the fallback)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from conformance.bench.proc import run_measured

JSON_PREFIX = "NF_BENCH_JSON "

# wrk's Lua API: summary.duration is in microseconds, latency:percentile(p) too.
DONE_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,'
    .. '"mean_us":%.1f,"max_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d}}\\n',
    "%PREFIX%", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("%PREFIX%", JSON_PREFIX)

_UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"^\s*([0-9.]+)\s*(us|ms|s|m|h)\s*$")


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version(path: str) -> str:
    """wrk prints its version on the first line of ``wrk --version`` (and exits 1)."""
    done = subprocess.run(  # noqa: S603 - a fixed argv
        [path, "--version"], capture_output=True, text=True, timeout=10, check=False
    )
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "unknown"


def parse_duration_s(text: str) -> float:
    """'1.23ms' -> 0.00123; wrk's units are us, ms, s, m and h."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_S[match.group(2)]


def parse_output(text: str) -> dict[str, Any]:
    """Figures from a wrk run: the JSON line of :data:`DONE_SCRIPT` when present, else wrk's
    text (``--latency`` needed for percentiles). Latencies in ms, rates per second."""
    for line in text.splitlines():
        if line.startswith(JSON_PREFIX):
            raw = json.loads(line[len(JSON_PREFIX) :])
            errors = raw["errors"]
            duration_s = raw["duration_us"] / 1e6
            return {
                "requests": raw["requests"],
                "duration_s": round(duration_s, 3),
                "requests_per_s": round(raw["requests"] / duration_s, 1) if duration_s else None,
                "p50_ms": round(raw["p50_us"] / 1000, 3),
                "p99_ms": round(raw["p99_us"] / 1000, 3),
                "mean_ms": round(raw["mean_us"] / 1000, 3),
                "max_ms": round(raw["max_us"] / 1000, 3),
                "bytes_per_response": round(raw["bytes"] / raw["requests"])
                if raw["requests"]
                else None,
                "non_2xx_or_3xx": errors["status"],
                "socket_errors": errors["connect"]
                + errors["read"]
                + errors["write"]
                + errors["timeout"],
            }
    return _parse_text(text)


def _parse_text(text: str) -> dict[str, Any]:
    rate = re.search(r"^Requests/sec:\s*([0-9.]+)", text, re.M)
    total = re.search(r"^\s*(\d+) requests in ([0-9.]+\w+),", text, re.M)
    if not rate or not total:
        raise ValueError("no wrk summary in the output")
    percentiles = {
        int(m.group(1)): parse_duration_s(m.group(2))
        for m in re.finditer(r"^\s*(50|99)(?:\.0+)?%\s+([0-9.]+\w+)\s*$", text, re.M)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return {
        "requests": int(total.group(1)),
        "duration_s": round(parse_duration_s(total.group(2)), 3),
        "requests_per_s": float(rate.group(1)),
        "p50_ms": round(percentiles[50] * 1000, 3) if 50 in percentiles else None,
        "p99_ms": round(percentiles[99] * 1000, 3) if 99 in percentiles else None,
        "mean_ms": None,
        "max_ms": None,
        "bytes_per_response": None,
        "non_2xx_or_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(g) for g in socket.groups()) if socket else 0,
    }


def command(
    path: str,
    url: str,
    *,
    connections: int,
    duration_s: float,
    headers: dict[str, str],
    script: Path,
) -> list[str]:
    """wrk with at most 2 threads (the machine has 2 cores; a thread needs a connection)."""
    argv = [
        path,
        f"-t{max(1, min(2, connections))}",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    return [*argv, url]


def run(
    path: str, url: str, *, connections: int, duration_s: float, headers: dict[str, str]
) -> dict[str, Any]:
    """One bounded wrk run against a loopback URL."""
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"load only ever targets loopback, not {url!r}")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "done.lua"
        script.write_text(DONE_SCRIPT, encoding="utf-8")
        argv = command(
            path,
            url,
            connections=connections,
            duration_s=duration_s,
            headers=headers,
            script=script,
        )
        done = run_measured(argv, timeout_s=duration_s + 30)
    if done.usage.exit_code != 0:
        raise RuntimeError(f"wrk exited {done.usage.exit_code}: {done.stderr[-500:]}")
    figures = parse_output(done.stdout)
    figures["concurrency"] = connections
    figures["generator"] = "wrk"
    return figures
