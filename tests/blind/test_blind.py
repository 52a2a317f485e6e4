"""Blind servers x the suite, run as a judge would (subprocess, live HTTP on 127.0.0.1).

Expected outcomes:
- conformant: exit 0 (warnings allowed);
- buggy: exit 1 with a failed MUST check among those tied to the bug, in the variants whose
  code path holds the bug (team-route bugs need --team-id);
- hostile: exit 1 or 3, no traceback, the full report set, well under two minutes, no token
  in any output; echo-token must pass (it is conformant) without leaking the token; the
  redirect target must never see the token.

Mismatches found by the blind run are marked xfail(strict=True) with their reason (see
/work/blind-findings.md), so this file passes while they stand and fails once they are fixed.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.blind.run_blind import run_one
from tests.blind.servers import SERVERS

# About 13 minutes on 2 cores: opt in with NF_BLIND=1 (e.g. NF_BLIND=1 pytest tests/blind).
pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(not os.environ.get("NF_BLIND"), reason="blind servers: set NF_BLIND=1"),
]

# bug -> check IDs any one of which failing counts as catching it
BUG_CHECKS: dict[str, set[str]] = {
    "b01-team-count-total": {"NF-PAG-001", "NF-PRM-006"},
    "b02-cursor-drops-runid": {
        "NF-RUN-002",
        "NF-RUN-007",
        "NF-PAG-006",
        "NF-PAG-008",
        "NF-RUN-003",
    },
    "b03-hasnext-exact-multiple": {"NF-PAG-010"},
    "b04-count-last-page": {"NF-PAG-001"},
    "b05-runid-prefix": {"NF-RUN-008", "NF-RUN-006", "NF-RUN-007"},
    "b06-cursor-overlap": {"NF-PAG-006", "NF-PAG-008", "NF-PAG-009"},
    "b07-max-page-skip": {"NF-PAG-006", "NF-PAG-008", "NF-PAG-009"},
    "b08-page-zero-based": {"NF-PAG-005", "NF-PAG-007", "NF-PAG-008"},
    "b09-team-ignores-runid": {"NF-PRM-006", "NF-RUN-001", "NF-RUN-002", "NF-RUN-007"},
    "b10-cursor-echo-latest": {"NF-RUN-001", "NF-RUN-002", "NF-RUN-007"},
    "b11-status-passthrough": {"NF-SCH-001"},
    "b12-second-page-repeats": {"NF-PAG-006", "NF-PAG-008", "NF-PAG-009"},
    "b13-team-job-unchecked": {"NF-HTTP-005", "NF-PRM-100"},
    "b14-page-path-drops-runid": {"NF-RUN-002", "NF-RUN-007", "NF-PAG-007", "NF-PAG-008"},
    "b15-team-cursor-on-last-page": {"NF-PAG-011", "NF-PRM-006"},
}
# bugs that live on the team route only: invisible without --team-id (not a miss)
TEAM_ONLY = {
    "b01-team-count-total",
    "b09-team-ignores-runid",
    "b13-team-job-unchecked",
    "b15-team-cursor-on-last-page",
}

# (server, variant) -> reason: mismatches the blind run found that are still open (none now:
# every one found has been fixed; add one here, strict, when a new blind server finds a gap)
XFAIL: dict[tuple[str, str], str] = {}


def cases() -> list[Any]:
    out: list[Any] = []
    for name, cfg in SERVERS.items():
        for v in cfg.variants:
            marks = []
            if (name, v) in XFAIL:
                marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[(name, v)]))
            out.append(pytest.param(name, v, id=f"{name}-{v}", marks=marks))
    return out


@pytest.mark.parametrize(("name", "variant"), cases())
def test_blind(name: str, variant: str, tmp_path: object) -> None:
    cfg = SERVERS[name]
    r = run_one(name, variant, report_root=str(tmp_path))
    assert not r["traceback"], r
    assert not r["token_leak"], r
    assert not r["missing_reports"], r
    if cfg.kind == "conformant" or cfg.hostile == "echo-token":
        assert r["rc"] == 0, r
        return
    if cfg.kind == "buggy":
        if name in TEAM_ONLY and "team" not in variant:
            assert r["rc"] == 0, r
            return
        assert r["rc"] == 1, r
        failed = {f.split(":", 1)[0] for f in r.get("failed", [])}
        assert failed & BUG_CHECKS[name], r
        return
    # hostile
    assert r["rc"] in (1, 3), r
    assert not r.get("crashed"), r  # a check that crashes judged the suite, not the target
    assert r["duration"] < 120, r
    if cfg.hostile == "redirect":
        assert not r["aux_saw_token"], r
