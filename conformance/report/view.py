"""What every human-readable report shows, computed from a report.json dict and nothing else.

Markdown, HTML, the terminal summary and ``diff`` all read from here, so they agree.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from conformance.evidence import curl
from conformance.exit_codes import EXIT_FAILED, EXIT_OK
from conformance.report import recorded
from conformance.target import MOCK_BASE_URL

STATUSES = ("passed", "failed", "warned", "skipped")
ID_FLAGS = {
    "project_id": "--project-id",
    "job_id": "--job-id",
    "run_id": "--run-id",
    "team_id": "--team-id",
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
        return EXIT_FAILED
    return EXIT_FAILED if unrun_required(report) else EXIT_OK


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
    return not base_url or urlsplit(base_url).hostname == urlsplit(MOCK_BASE_URL).hostname


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
    return curl(request, None if is_mock(report) else str(report["target"]["base_url"]))


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence item as the human reports show it (each escapes it its own way)."""

    request: str | None  # "GET /v1/...", None for a note alone
    credential: str
    note: str | None  # shown in place of the request when there is none
    status: str | None  # the response's status; None when there is no response
    content_type: str
    body: str | None
    error: str | None
    har: HarEntry | None  # the exchange in the run's HAR file, when the run was recorded


def evidence_items(report: Report, check: Mapping[str, Any]) -> list[EvidenceItem]:
    items = []
    for evidence in check.get("evidence") or []:
        request = evidence.get("request") or {}
        response = evidence.get("response") or {}
        items.append(
            EvidenceItem(
                request=f"{request.get('method', 'GET')} {request['url']}" if request else None,
                credential=str(request.get("credential") or "primary"),
                note=None if request else evidence.get("note") or None,
                status=str(response.get("status")) if response else None,
                content_type=response.get("content_type") or "no content type",
                body=str(response["body"]) if response.get("body") else None,
                error=evidence.get("error") or None,
                har=har_entry(report, evidence),
            )
        )
    return items


def outcome_rows(check: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, text, shown as code) for a failure's Expected, Received and Message lines."""
    rows = [
        (label, str(check[key]), True)
        for label, key in (("Expected", "expected"), ("Received", "received"))
        if check.get(key) is not None
    ]
    message = failure_message(check)
    if message:
        rows.append(("Message", message, False))
    return rows


def reproduce_commands(report: Report, check: Mapping[str, Any]) -> list[str]:
    """How to repeat a failure: the first recorded request as curl, then the run of the check."""
    curls = [c for c in (curl_command(report, x) for x in check.get("evidence") or []) if c]
    return [*curls[:1], run_command(report, check["id"])]


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


def failure_message(check: Mapping[str, Any]) -> str | None:
    """The message to show beside expected and received, or None when it only repeats them.

    A violation's message is ``"<received> (expected <expected>)"``, for one-line summaries;
    where expected and received are shown, each is shown once and that message not at all.
    """
    message = str(check.get("message") or "")
    expected, received = check.get("expected"), check.get("received")
    if not message:
        return None
    if expected is None and received is None:
        return message
    if message in {f"{received} (expected {expected})", str(expected), str(received)}:
        return None
    return message


@dataclass(frozen=True)
class HarEntry:
    """Where one evidence exchange sits in the run's HAR recording (``log.entries[index]``)."""

    har: str | None  # the HAR file as report.json names it, when it does
    index: int

    @property
    def label(self) -> str:
        return f"HAR entry {self.index}"

    @property
    def href(self) -> str | None:
        """A link to the HAR file: for a file name or relative path only (no scheme, no root)."""
        if not self.har or self.har.startswith(("/", "\\")) or ":" in self.har:
            return None
        return quote(self.har, safe="/._-~") + f"#entry-{self.index}"

    def describe(self) -> str:
        """Where the exchange is and how to open it, to follow the link (then ``jq``, if any)."""
        if not self.har:
            return f"log.entries[{self.index}] of the run's HAR recording, counted from 0"
        return (
            f"log.entries[{self.index}] of {self.har}, counted from 0: open it in a HAR viewer"
            " (a browser's devtools Network panel) or print it with"
        )

    @property
    def jq(self) -> str | None:
        """The command that prints the entry, when the file is named."""
        if not self.har:
            return None
        return f"jq '.log.entries[{self.index}]' {shlex.quote(self.har)}"


def recording_file(report: Report) -> str | None:
    """The HAR file that evidence ``har_entry`` indexes, else None: ``har.file`` of a recorded
    run (--record), or ``recording.file`` of a replayed one (--replay)."""
    for key in ("har", "recording"):
        value = report.get(key)
        name = value.get("file") if isinstance(value, Mapping) else value
        if isinstance(name, str) and name:
            return name
    return None


def har_entry(report: Report, evidence: Mapping[str, Any]) -> HarEntry | None:
    """The HAR entry an evidence item came from, when the run was recorded; else None."""
    index = evidence.get("har_entry")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    return HarEntry(recording_file(report), index)
