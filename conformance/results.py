"""What a run found: one result per check, and the run around them. Reports are made from these."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from conformance.evidence import Evidence


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNED = "warned"
    SKIPPED = "skipped"


@dataclass
class CheckResult:
    """The outcome of one check. ``evidence`` holds redacted request/response excerpts."""

    id: str
    title: str
    requirements: list[str]
    level: str
    source: list[str]
    status: Status
    message: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    expected: str | None = None  # from Violation: what the requirement expects
    received: str | None = None  # from Violation: what came back
    expected_failure: dict[str, Any] | None = None  # set by report.expected: reason, link, expires

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


@dataclass
class RunResult:
    """Everything report.json says about one run (no token ever reaches this object)."""

    tool: dict[str, str]
    spec: dict[str, str]
    target: dict[str, Any]
    seed: int
    started_at: str
    duration_s: float
    requests_sent: int
    checks: list[CheckResult]
    transport: dict[str, Any] = field(default_factory=dict)
    requirements: list[dict[str, str]] = field(default_factory=list)  # catalog entries run against
    stale_entries: list[str] = field(default_factory=list)  # expected-failures problems
    har: dict[str, Any] | None = None  # --record: the HAR file written and its entry count
    recording: dict[str, Any] | None = None  # --replay: the recording the answers came from
    matrix: dict[str, Any] = field(default_factory=dict)  # the path matrix's coverage

    @property
    def summary(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.checks:
            counts[result.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = self._to_dict()
        if self.har is not None:
            data["har"] = self.har
        if self.recording is not None:
            data["recording"] = self.recording
        return data

    def _to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "spec": self.spec,
            "target": self.target,
            "seed": self.seed,
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 3),
            "requests_sent": self.requests_sent,
            "transport": self.transport,
            "summary": self.summary,
            "stale_entries": self.stale_entries,
            "requirements": self.requirements,
            "matrix": self.matrix,
            "checks": [result.to_dict() for result in sorted(self.checks, key=lambda r: r.id)],
        }
