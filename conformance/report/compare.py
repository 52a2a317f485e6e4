"""Compare two report.json dicts for release gating: regressions, fixes, added and removed
checks and requirements, and the change in requests sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.catalog import RETIRED
from conformance.exit_codes import EXIT_FAILED, EXIT_OK
from conformance.report import view


@dataclass
class Change:
    id: str
    title: str
    old: str | None
    new: str | None


@dataclass
class Comparison:
    """What changed between an old and a new report.json."""

    regressions: list[Change] = field(default_factory=list)  # not failed -> failed
    fixes: list[Change] = field(default_factory=list)  # failed -> passed or warned
    other: list[Change] = field(default_factory=list)  # any other change of outcome
    added_checks: list[Change] = field(default_factory=list)
    removed_checks: list[Change] = field(default_factory=list)
    retired_checks: list[Change] = field(default_factory=list)  # a retired ID -> its successors
    added_requirements: list[str] = field(default_factory=list)
    removed_requirements: list[str] = field(default_factory=list)
    changed_requirements: list[tuple[str, list[str]]] = field(default_factory=list)
    requests: tuple[int, int] = (0, 0)
    spec_hashes: tuple[str, str] = ("", "")
    verdicts: tuple[str, str] = ("", "")
    versions: tuple[str, str] = ("", "")

    @property
    def spec_changed(self) -> bool:
        return self.spec_hashes[0] != self.spec_hashes[1]

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.regressions else EXIT_OK


def _outcome(check: Mapping[str, Any] | None) -> str | None:
    return None if check is None else view.outcome(check)


def _retired(
    check_id: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    old_checks: Mapping[str, Mapping[str, Any]],
    new_checks: Mapping[str, Mapping[str, Any]],
) -> Change | None:
    """A retired ID in one report only, paired with its successors in the other (either way
    round: an old report against a new one, or a new against an old)."""
    retired = RETIRED.get(check_id)
    if retired is None or (before is None) == (after is None):
        return None
    other = new_checks if after is None else old_checks
    successors = [other[s] for s in retired.replaced_by if s in other]
    if not successors:
        return None
    them = "; ".join(f"{s['id']} {view.outcome(s)}" for s in successors)
    title = (before or after or {}).get("title", "")
    if after is None:
        return Change(check_id, title, _outcome(before), f"retired, now {them}")
    return Change(check_id, title, f"retired, was {them}", _outcome(after))


def compare(old: view.Report, new: view.Report) -> Comparison:
    result = Comparison(
        requests=(old["requests_sent"], new["requests_sent"]),
        spec_hashes=(old["spec"]["sha256"], new["spec"]["sha256"]),
        verdicts=(view.verdict(old), view.verdict(new)),
        versions=(old["tool"]["version"], new["tool"]["version"]),
    )
    old_checks = {c["id"]: c for c in old["checks"]}
    new_checks = {c["id"]: c for c in new["checks"]}
    for check_id in sorted(old_checks.keys() | new_checks.keys()):
        before, after = old_checks.get(check_id), new_checks.get(check_id)
        paired = _retired(check_id, before, after, old_checks, new_checks)
        if paired is not None:
            result.retired_checks.append(paired)
            continue
        title = (after or before or {}).get("title", "")
        change = Change(check_id, title, _outcome(before), _outcome(after))
        if before is None:
            result.added_checks.append(change)
        elif after is None:
            result.removed_checks.append(change)
        elif before["status"] != "failed" and after["status"] == "failed":
            result.regressions.append(change)
        elif before["status"] == "failed" and after["status"] in ("passed", "warned"):
            result.fixes.append(change)
        elif change.old != change.new:
            result.other.append(change)
    old_reqs = {r["id"]: r for r in old.get("requirements") or []}
    new_reqs = {r["id"]: r for r in new.get("requirements") or []}
    result.added_requirements = sorted(new_reqs.keys() - old_reqs.keys())
    result.removed_requirements = sorted(old_reqs.keys() - new_reqs.keys())
    for requirement_id in sorted(old_reqs.keys() & new_reqs.keys()):
        fields = [
            key
            for key in ("level", "source", "ref", "quote")
            if old_reqs[requirement_id].get(key) != new_reqs[requirement_id].get(key)
        ]
        if fields:
            result.changed_requirements.append((requirement_id, fields))
    return result


def _delta(old: int, new: int) -> str:
    sign = "+" if new >= old else ""
    return f"{old} -> {new} ({sign}{new - old})"


def render(comparison: Comparison, *, markdown: bool) -> str:
    """The comparison as Markdown (for a PR comment) or plain text (for a terminal)."""
    c = comparison
    lines: list[str] = []

    def heading(text: str) -> None:
        lines.extend(["", f"### {text}" if markdown else f"{text}:"])

    def item(text: str) -> None:
        lines.append(f"- {text}" if markdown else f"  {text}")

    def ident(text: str) -> str:
        return f"`{text}`" if markdown else text

    verdict = "REGRESSIONS" if c.regressions else "no regressions"
    lines.append(f"## Conformance diff: {verdict}" if markdown else f"Conformance diff: {verdict}")
    lines.append("")
    item(f"Verdict: {c.verdicts[0]} -> {c.verdicts[1]}")
    item(f"Suite version: {c.versions[0]} -> {c.versions[1]}")
    item(f"Requests sent: {_delta(*c.requests)}")
    if c.spec_changed:
        lines.append("")
        warning = (
            f"Warning: the spec differs (sha256 {c.spec_hashes[0][:12]} -> "
            f"{c.spec_hashes[1][:12]}); the runs checked different contracts."
        )
        lines.append(f"> **{warning}**" if markdown else warning)
        changed = [
            *(f"{r} added" for r in c.added_requirements),
            *(f"{r} removed" for r in c.removed_requirements),
            *(f"{r} changed ({', '.join(f)})" for r, f in c.changed_requirements),
        ]
        which = "; ".join(changed) if changed else "none (the catalog is the same)"
        lines.append(f"{'> ' if markdown else ''}Requirements that changed: {which}")
    sections: list[tuple[str, list[Change]]] = [
        ("Regressions (passed -> failed)", c.regressions),
        ("Fixes (failed -> passed)", c.fixes),
        ("Other changes of outcome", c.other),
        ("New checks", c.added_checks),
        ("Removed checks", c.removed_checks),
        ("Retired checks (judged by their successors)", c.retired_checks),
    ]
    for title, changes in sections:
        if changes:
            heading(title)
            for ch in changes:
                if ch.old is None:
                    item(f"{ident(ch.id)} {ch.title}: {ch.new}")
                elif ch.new is None:
                    item(f"{ident(ch.id)} {ch.title}: was {ch.old}")
                else:
                    item(f"{ident(ch.id)} {ch.title}: {ch.old} -> {ch.new}")
    if c.added_requirements:
        heading("New requirements")
        for requirement_id in c.added_requirements:
            item(ident(requirement_id))
    if c.removed_requirements:
        heading("Removed requirements")
        for requirement_id in c.removed_requirements:
            item(ident(requirement_id))
    if c.changed_requirements:
        heading("Changed requirements")
        for requirement_id, fields in c.changed_requirements:
            item(f"{ident(requirement_id)}: {', '.join(fields)} changed")
    if not any(changes for _, changes in sections) and not (
        c.added_requirements or c.removed_requirements or c.changed_requirements
    ):
        lines.extend(["", "No check changed its outcome."])
    return "\n".join(lines).rstrip() + "\n"
