"""expected-failures.yaml: known failures that do not fail the run, each with an expiry date.

```yaml
expected_failures:
  - check: NF-PAG-003
    reason: "Staging still returns a cursor on the last page"
    link: https://example.com/issues/42     # optional
    expires: 2027-01-31
```

An expected failure keeps its ``failed`` status but records the entry, and does not fail the run.
An entry whose check now passes, or whose date has passed, is *stale* and fails the run, so the
list cannot rot. A check that did not run (skipped, or left out by ``--only``) leaves its entry
alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from conformance.catalog import CHECKS, RETIRED

if TYPE_CHECKING:
    from conformance.results import RunResult

KEYS = {"check", "reason", "link", "expires"}


class ExpectedFailuresError(Exception):
    """expected-failures.yaml cannot be used; the message names the entry and the fix."""


@dataclass(frozen=True)
class ExpectedFailure:
    check: str
    reason: str
    expires: dt.date
    link: str | None = None
    listed_as: str | None = None  # the retired ID the file names, when ``check`` succeeds it

    def record(self) -> dict[str, Any]:
        """What report.json carries for an excused check."""
        return {"reason": self.reason, "link": self.link, "expires": self.expires.isoformat()}


def _warn(note: str) -> None:
    print(f"nf-conformance: warning: {note}", file=sys.stderr)


def _known_ids(known_checks: Collection[str] | None) -> Collection[str]:
    if known_checks is not None:
        return known_checks
    return CHECKS.keys()


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ExpectedFailuresError(
            f"{where}: expires {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31"
        ) from None


def parse_expected_failures(
    raw: Any,
    *,
    name: str = "expected-failures.yaml",
    known_checks: Collection[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[ExpectedFailure]:
    """Entries from already-parsed YAML; errors name the entry and suggest a close check ID.

    An entry for a retired check ID stands for each of its successors; ``warn`` (default: a line
    on stderr) is told so."""
    if isinstance(raw, Mapping) and set(raw) == {"expected_failures"}:
        raw = raw["expected_failures"]
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ExpectedFailuresError(
            f"{name}: expected a list of entries under 'expected_failures:', "
            f"got {type(raw).__name__}"
        )
    known = _known_ids(known_checks)
    entries: list[ExpectedFailure] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = f"{name}: entry {number}"
        if not isinstance(item, Mapping):
            raise ExpectedFailuresError(f"{where}: expected a mapping with check, reason, expires")
        unknown = sorted(set(map(str, item)) - KEYS)
        if unknown:
            raise ExpectedFailuresError(
                f"{where}: unknown key {unknown[0]!r}; allowed: check, reason, link, expires"
            )
        missing = [key for key in ("check", "reason", "expires") if not item.get(key)]
        if missing:
            raise ExpectedFailuresError(f"{where}: missing {', '.join(missing)}")
        check_id = str(item["check"])
        successors: Sequence[str] = (check_id,)
        if check_id in RETIRED and check_id not in known:
            (warn or _warn)(f"{where}: {RETIRED[check_id].note()}")
            successors = RETIRED[check_id].replaced_by
        elif known and check_id not in known:
            close = difflib.get_close_matches(check_id, sorted(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ExpectedFailuresError(f"{where}: unknown check {check_id!r}.{hint}")
        link = item.get("link")
        for successor in successors:
            if successor in seen:
                raise ExpectedFailuresError(f"{where}: {successor} is listed twice; keep one entry")
            seen.add(successor)
            entries.append(
                ExpectedFailure(
                    check=successor,
                    reason=str(item["reason"]),
                    expires=_date(item["expires"], f"{where} ({check_id})"),
                    link=str(link) if link else None,
                    listed_as=check_id if successor != check_id else None,
                )
            )
    return entries


def load_expected_failures(
    path: Path | str,
    *,
    known_checks: Collection[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[ExpectedFailure]:
    """Read expected-failures.yaml. ``known_checks`` defaults to the registered check IDs."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ExpectedFailuresError(f"cannot read {path}: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise ExpectedFailuresError(f"{path} is not valid YAML: {error}") from None
    return parse_expected_failures(raw, name=str(path), known_checks=known_checks, warn=warn)


def apply_expected_failures(
    result: RunResult, entries: Sequence[ExpectedFailure], today: dt.date
) -> list[str]:
    """Mark excused failures on ``result``; return (and record as stale_entries) the problems.

    The entries of one retired ID are one entry: stale when none of its successors failed."""
    by_id = {check.id: check for check in result.checks}
    problems: list[str] = []
    retired: dict[str, list[str]] = {}  # retired ID -> the outcomes of its successors that ran
    expired: set[str] = set()
    for entry in entries:
        listed = entry.listed_as or entry.check
        if entry.expires < today:
            if listed not in expired:
                expired.add(listed)
                problems.append(
                    f"{listed}: expected-failures entry expired on {entry.expires.isoformat()}; "
                    "fix the target or renew the entry with a new date"
                )
            continue
        check = by_id.get(entry.check)
        if check is None or check.status.value == "skipped":
            continue
        if check.status.value == "failed":
            check.expected_failure = entry.record()
        if entry.listed_as:
            retired.setdefault(listed, []).append(check.status.value)
        elif check.status.value != "failed":
            problems.append(_now(listed, check.status.value))
    for listed, outcomes in retired.items():
        if outcomes and "failed" not in outcomes:
            problems.append(_now(listed, outcomes[0]))
    result.stale_entries = [*result.stale_entries, *problems]
    return problems


def _now(check_id: str, status: str) -> str:
    return f"{check_id}: listed as an expected failure but now {status}; remove the entry"
