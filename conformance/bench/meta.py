"""The machine and the versions a bench ran with."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

PACKAGES = ("northflank-conformance", "schemathesis", "hypothesis", "httpx", "starlette", "uvicorn")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "processor": _cpu_model() or platform.processor() or "unknown",
    }


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages: how busy the machine was besides the bench."""
    return [round(value, 2) for value in os.getloadavg()]


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def versions(tools: dict[str, str]) -> dict[str, str]:
    """Python, our packages, and the external ``tools`` (name -> version or why absent)."""
    found = {"python": platform.python_version() + f" ({sys.implementation.name})"}
    found.update({package: _version(package) for package in PACKAGES})
    found.update(tools)
    return found


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_version(path: str) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed argv
        [path, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    return done.stdout.strip() or "unknown"
