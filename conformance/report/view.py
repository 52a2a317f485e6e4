"""What every human-readable report shows, computed from a report.json dict and nothing else.

Markdown, HTML, the terminal summary and ``diff`` all read from here, so they agree.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from conformance.report import recorded

STATUSES = ("passed", "failed", "warned", "skipped")
MOCK_HOSTS = {"mock.invalid"}
ID_FLAGS = {
    "project_id": "--project-id",
    "job_id": "--job-id",
    "run_id": "--run-id",
    "team_id": "--team-id",
}
TOKEN_ENV = {
    "primary": '-H "Authorization: Bearer $NORTHFLANK_API_TOKEN" ',
    "restricted": '-H "Authorization: Bearer $NF_CONFORMANCE_RESTRICTED_TOKEN" ',
    "unknown": "-H 'Authorization: Bearer nf-unknown-token' ",
    "malformed": "-H 'Authorization: Bearer' ",
    "no-scheme": '-H "Authorization: $NORTHFLANK_API_TOKEN" ',
    "none": "",
}

Report = Mapping[str, Any]


def is_blocking(check: Mapping[str, Any]) -> bool:
    """A failed MUST check that no expected-failures entry excuses: it fails the run."""
    return (
        check["status"] == "failed"
        and check["level"] == "MUST"
        and not check.get("expected_failure")
    )


STOP_HINTS = {
    "budget": "raise the request budget with --max-requests",
    "deadline": "raise the run deadline with --deadline",
    "rate-limit quota": "wait for the target's rate-limit window to reset, then run again",
}


def unrun_required(report: Report) -> int:
    """MUST checks skipped in a run that stopped sending early (budget, deadline, quota)."""
    if not (report.get("transport") or {}).get("stopped"):
        return 0
    return sum(1 for c in report["checks"] if c["status"] == "skipped" and c["level"] == "MUST")


def exit_code(report: Report) -> int:
    """0 when every MUST check passed (bar expected failures) and no entry is stale, else 1.

    A run that stopped sending early and left required checks unrun is incomplete: never 0.
    """
    if report.get("stale_entries") or any(is_blocking(c) for c in report["checks"]):
        return 1
    return 1 if unrun_required(report) else 0


def verdict(report: Report) -> str:
    if exit_code(report) == 0:
        return "conformant"
    blocked = report.get("stale_entries") or any(is_blocking(c) for c in report["checks"])
    return "not conformant" if blocked else "incomplete"


def verdict_line(report: Report) -> str:
    blocking = sum(1 for c in report["checks"] if is_blocking(c))
    stale = len(report.get("stale_entries") or [])
    reasons = []
    if blocking:
        reasons.append(f"{blocking} required check{'s' if blocking != 1 else ''} failed")
    if stale:
        reasons.append(f"{stale} stale expected-failure entr{'ies' if stale != 1 else 'y'}")
    unrun = unrun_required(report)
    if unrun:
        stopped = report["transport"]["stopped"]
        hint = STOP_HINTS.get(stopped, "see the skipped checks for why")
        reasons.append(
            f"the run stopped early ({stopped}) and {unrun} required"
            f" check{'s' if unrun != 1 else ''} did not run; {hint}"
        )
    if not reasons:
        return "Conformant: every required check passed"
    label = "Incomplete" if verdict(report) == "incomplete" else "Not conformant"
    return f"{label}: " + ", ".join(reasons)


def is_mock(report: Report) -> bool:
    base_url = report["target"].get("base_url")
    return not base_url or urlsplit(base_url).hostname in MOCK_HOSTS


def target_host(report: Report) -> str:
    """The target's host only (no path, no credentials), or the built-in mock."""
    if is_mock(report):
        return "built-in mock (in-process)"
    parts = urlsplit(report["target"]["base_url"])
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def target_ids(report: Report) -> dict[str, str]:
    """The ids the run used, e.g. {"project_id": "demo"}; empty values left out."""
    return {
        key: str(value)
        for key, value in report["target"].items()
        if key != "base_url" and value not in (None, "")
    }


@dataclass(frozen=True)
class Coverage:
    """How many catalog requirements a check that actually ran (not skipped) looked at."""

    total: int
    checked: int
    failing: list[str]
    unchecked: list[str]

    def describe(self) -> str:
        text = f"{self.checked} of {self.total} requirements checked"
        extra = []
        if self.failing:
            extra.append(f"{len(self.failing)} with a failed check")
        if self.unchecked:
            extra.append(f"{len(self.unchecked)} not checked")
        return text + (f" ({', '.join(extra)})" if extra else "")


def checks_by_requirement(report: Report) -> dict[str, list[Mapping[str, Any]]]:
    by_requirement: dict[str, list[Mapping[str, Any]]] = {}
    for check in sorted(report["checks"], key=lambda c: c["id"]):
        for requirement in check["requirements"]:
            by_requirement.setdefault(requirement, []).append(check)
    return by_requirement


def coverage(report: Report) -> Coverage:
    ids = [r["id"] for r in report.get("requirements") or []]
    if not ids:
        ids = sorted(checks_by_requirement(report))
    covering = checks_by_requirement(report)
    checked, failing, unchecked = 0, [], []
    for requirement in ids:
        ran = [c for c in covering.get(requirement, []) if c["status"] != "skipped"]
        if ran:
            checked += 1
        else:
            unchecked.append(requirement)
        if any(c["status"] == "failed" for c in ran):
            failing.append(requirement)
    return Coverage(len(ids), checked, failing, unchecked)


def outcome(check: Mapping[str, Any]) -> str:
    """The status as readers see it: a failure that does not fail the run says why."""
    if check["status"] == "failed" and check.get("expected_failure"):
        return "failed (expected)"
    if check["status"] == "failed" and check["level"] != "MUST":
        return f"failed ({check['level']}: does not fail the run)"
    return str(check["status"])


def run_command(report: Report, check_id: str) -> str:
    """The ``nf-conformance run`` line that re-runs only ``check_id`` against the same target.

    A replayed run is re-run from its recording (``--replay FILE --only ID``).
    """
    if isinstance(report.get("recording"), Mapping):
        return str(recorded.replay_command(report, check_id))
    words = ["nf-conformance", "run"]
    if not is_mock(report):
        words += ["--base-url", str(report["target"]["base_url"])]
        for key, flag in ID_FLAGS.items():
            value = report["target"].get(key)
            if value:
                words += [flag, str(value)]
    words += ["--seed", str(report["seed"]), "--only", check_id]
    return shlex.join(words)


def curl_command(report: Report, evidence: Mapping[str, Any]) -> str | None:
    """A curl line repeating one recorded request; tokens only ever as environment variables."""
    request = evidence.get("request")
    if not isinstance(request, Mapping) or not request.get("url"):
        return None
    method = str(request.get("method") or "GET")
    auth = TOKEN_ENV.get(str(request.get("credential") or "primary"), TOKEN_ENV["primary"])
    url = str(request["url"])
    if is_mock(report):
        # The mock runs in-process; `nf-conformance mock` serves it over HTTP for curl.
        location = '"$NORTHFLANK_API_BASE_URL"' + shlex.quote(url)
    else:
        location = shlex.quote(str(report["target"]["base_url"]).rstrip("/") + url)
    verb = "" if method == "GET" else f"-X {shlex.quote(method)} "
    return f"curl -sS {verb}{auth}{location}"


def sorted_checks(report: Report) -> list[Mapping[str, Any]]:
    return sorted(report["checks"], key=lambda c: c["id"])


def with_status(report: Report, status: str) -> list[Mapping[str, Any]]:
    return [c for c in sorted_checks(report) if c["status"] == status]


def requirement_index(report: Report) -> dict[str, Mapping[str, Any]]:
    return {r["id"]: r for r in report.get("requirements") or []}


def transport_line(report: Report) -> str:
    transport = report.get("transport") or {}
    return ", ".join(
        f"{key} {value}" for key, value in sorted(transport.items()) if value is not None
    )
