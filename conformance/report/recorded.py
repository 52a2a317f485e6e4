"""What the reports say about a recording: the HAR a run wrote, or the one it was replayed from.

Made from the report.json dict only (``har`` and ``recording``), like every human report.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SPEC = "spec/job-containers.openapi.yaml"


def _where(target: Mapping[str, Any]) -> str:
    base_url = target.get("base_url")
    if not base_url:
        return "the built-in mock (in-process)"
    parts = urlsplit(str(base_url))
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def recording_line(report: Mapping[str, Any]) -> str | None:
    """One line when the run was replayed: which file, when and against what, what was missing."""
    recording = report.get("recording")
    if not isinstance(recording, Mapping):
        return None
    when = recording.get("recorded_at") or "at an unknown time"
    seed = recording.get("seed")
    seeded = f", seed {seed}" if seed is not None else ""
    unanswered = int(recording.get("unanswered") or 0)
    if unanswered:
        noun = "request" if unanswered == 1 else "requests"
        missing = f"{unanswered} {noun} not in the recording (the checks that needed them skipped)"
    else:
        missing = "every request answered from it"
    return (
        f"replayed from {recording['file']}, recorded {when} against "
        f"{_where(recording.get('target') or {})}{seeded}; {missing}"
    )


def har_line(report: Mapping[str, Any]) -> str | None:
    """One line when the run was recorded: the HAR file and its entry count."""
    har = report.get("har")
    if not isinstance(har, Mapping):
        return None
    return f"every exchange recorded in {har['file']} ({har['entries']} HAR entries)"


def replay_command(report: Mapping[str, Any], check_id: str) -> str | None:
    """The line that replays only ``check_id`` from the recording the run came from (or wrote)."""
    recording = report.get("recording")
    har = report.get("har")
    if isinstance(recording, Mapping):
        words = ["nf-conformance", "run", "--replay", str(recording["file"])]
        if recording.get("seed") is not None and recording["seed"] != report.get("seed"):
            words += ["--seed", str(report["seed"])]
    elif isinstance(har, Mapping):
        words = ["nf-conformance", "run", "--replay", str(har["file"])]
    else:
        return None
    spec = report.get("spec", {}).get("path")
    if spec and spec != DEFAULT_SPEC:
        words += ["--spec", str(spec)]
    return shlex.join([*words, "--only", check_id])


def recorded_replay_line(report: Mapping[str, Any], check_id: str) -> str | None:
    """For a recorded (not replayed) run: the replay line to put beside the live one."""
    if report.get("recording") is not None:
        return None
    return replay_command(report, check_id)
