"""The README's check table and mutation table, generated from the registries.

``python -m conformance.docs --write`` rewrites README.md between the marker comments
(``<!-- checks:start -->`` ... ``<!-- checks:end -->`` and the same for ``mutations``);
``--check`` exits 1 when README.md is out of date. The mutation table runs the hand-written
checks against the mock once per fault (half a minute); commit the result afterwards.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.catalog import CHECKS, Level
from conformance.mutation import (
    FAULT_SETUP,
    GOAL,
    RESULTS,
    SEED,
    SURVIVORS,
    fault_run,
    hand_written,
    load_results,
)
from conformance.results import RunResult
from conformance.runner import load_checks

README = Path(__file__).resolve().parent.parent / "README.md"
__all__ = ["FAULT_SETUP", "SEED", "fault_run", "hand_written"]


def catching(result: RunResult, requirement: str) -> list[tuple[str, str]]:
    """(check ID, status) of the checks covering ``requirement`` that flag the run: failed, or
    warned when the check or the requirement is below MUST (then a warning is all it can be)."""
    from conformance.spec import requirements

    below_must = requirements()[requirement].level != Level.MUST
    found = []
    for check in sorted(result.checks, key=lambda c: c.id):
        if requirement not in check.requirements:
            continue
        warns = check.status == "warned" and (below_must or check.level != Level.MUST)
        if check.status == "failed" or warns:
            found.append((check.id, check.status.value))
    return found


# --- tables ------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def check_table() -> str:
    """Every registered check: ID, title, level and the requirements it covers."""
    load_checks()
    rows = ["| Check | Title | Level | Requirements |", "|---|---|---|---|"]
    for check in sorted(CHECKS.values(), key=lambda c: c.id):
        requirements = ", ".join(check.requirements)
        rows.append(f"| {check.id} | {_cell(check.title)} | {check.level} | {requirements} |")
    return "\n".join(rows)


def mutation_table(runs: Mapping[str, RunResult]) -> str:
    """Fault, the requirement it breaks, and the checks that catch it (from ``runs``)."""
    from conformance.mock.faults import FAULTS

    rows = ["| Fault | Breaks | Caught by |", "|---|---|---|"]
    for name, fault in FAULTS.items():
        found = catching(runs[name], fault.requirement)
        labels = [cid if status == "failed" else f"{cid} (warns)" for cid, status in found]
        caught = ", ".join(labels) or "**not caught**"
        rows.append(f"| `{name}` | {fault.requirement} | {caught} |")
    return "\n".join(rows)


def matrix_section(document: Mapping[str, Any] | None) -> str:
    """The mutation matrix's kill rate, counts per scope and every survivor with its reason."""
    if document is None:
        return f"Not generated yet: run `python -m conformance.mutation --write` ({RESULTS.name})."
    total = document["summary"]
    rate = total["kill_rate"]
    live = total["killed"] + total["survived"]
    lines = [
        f"**Kill rate {rate:.1%}** ({total['killed']} of {live} mutants killed; goal "
        f"{GOAL:.0%}). {total['mutants']} mutants: each fault unscoped, scoped to each "
        "value of the path matrix, and scoped to each whole cell it can apply to; "
        f"{total['equivalent']} change no response the run asks for (equivalent, not counted).",
        "",
        "| Scope | Killed | Survived | Equivalent |",
        "|---|---|---|---|",
    ]
    by_scope: dict[str, dict[str, int]] = {}
    for outcome in document["mutants"]:
        scope = _scope_row(outcome["mutant"].partition("@")[2])
        counts = by_scope.setdefault(scope, {"killed": 0, "survived": 0, "equivalent": 0})
        counts[outcome["status"]] += 1
    for scope, counts in by_scope.items():
        lines.append(
            f"| {scope} | {counts['killed']} | {counts['survived']} | {counts['equivalent']} |"
        )
    survivors = [o for o in document["mutants"] if o["status"] == "survived"]
    lines += ["", "Survivors (documented gaps):" if survivors else "No mutant survives.", ""]
    for outcome in survivors:
        reason = SURVIVORS.get(outcome["mutant"], "**no reason given**")
        lines.append(f"- `{outcome['mutant']}`: {_cell(reason)}")
    return "\n".join(lines).rstrip("\n")


def _scope_row(scope: str) -> str:
    """The README row a mutant's scope counts in: everywhere, one value, or the whole cells."""
    if not scope:
        return "`(everywhere)`"
    return "each whole cell, one at a time" if scope.count(",") == 4 else f"`{scope}`"


def _matrix_document() -> Mapping[str, Any] | None:
    return load_results() if RESULTS.exists() else None


def all_fault_runs() -> dict[str, RunResult]:
    from conformance.mock.faults import FAULTS

    return {name: fault_run(name) for name in FAULTS}


# --- README ------------------------------------------------------------------------------------


def replace_between(text: str, marker: str, body: str) -> str:
    """``text`` with what stands between ``<!-- marker:start -->`` and ``:end -->`` replaced."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"README.md needs exactly one {start} ... {end} pair")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{body}\n{end}{tail}"


def render_readme(text: str, runs: Callable[[], Mapping[str, RunResult]] = all_fault_runs) -> str:
    text = replace_between(text, "checks", check_table())
    text = replace_between(text, "mutation-matrix", matrix_section(_matrix_document()))
    return replace_between(text, "mutations", mutation_table(runs()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.docs", description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite README.md")
    action.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render_readme(current)
    if args.write:
        README.write_text(wanted, encoding="utf-8")
        print(f"wrote {README}")
    elif args.check:
        if wanted != current:
            print("README.md is out of date: run python -m conformance.docs --write")
            return 1
        print("README.md is up to date")
    else:
        print(check_table(), mutation_table(all_fault_runs()), sep="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
