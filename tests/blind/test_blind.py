"""Blind servers x the suite, run as a judge would (subprocess, live HTTP on 127.0.0.1).

Expected outcomes:
- conformant: exit 0 (warnings allowed);
- buggy: exit 1 with a failed MUST check among those tied to the bug, in the variants whose
  code path holds the bug (team-route bugs need --team-id);
- hostile: exit 1 or 3, no traceback, the full report set, well under two minutes, no token
  in any output; echo-token must pass (it is conformant) without leaking the token; the
  redirect target must never see the token.

Mismatches found by the blind run are marked xfail(strict=True) with their reason (see
tests/blind/FINDINGS.md), so this file passes while they stand and fails once they are fixed.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.blind.run_blind import run_one
from tests.blind.servers import SERVERS

# About 25 minutes on 2 cores (66 servers): opt in with NF_BLIND=1 (NF_BLIND=1 pytest tests/blind).
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
    # round 2
    "b16-page-count-cumulative": {"NF-PAG-001"},
    "b17-max-hasnext-lazy": {"NF-PAG-010"},
    "b18-page-odd-overlap": {"NF-PAG-005", "NF-PAG-007", "NF-PAG-008", "NF-PAG-009"},
    "b19-cursor-omits-runid": {"NF-SCH-001", "NF-RUN-002", "NF-RUN-007"},
    "b20-perpage-mid-500": {"NF-HTTP-100", "NF-PAG-101"},
    "b21-runid-uuid-cast-500": {"NF-HTTP-100", "NF-RUN-006", "NF-RUN-008", "NF-RUN-100"},
    "b22-paged-runs-cursor-overlap": {"NF-PAG-006", "NF-PAG-008", "NF-PAG-009", "NF-PAG-104"},
    "b23-page-order-differs": {"NF-PAG-005", "NF-PAG-007", "NF-PAG-008", "NF-PAG-009"},
    "b24-cursor-std-base64": {"NF-PAG-018", "NF-PAG-004", "NF-PAG-104"},
    "b25-team-no-permission": {"NF-PRM-004", "NF-PRM-006"},
    "b26-cursor-createdat-ms": {"NF-PAG-008", "NF-PAG-009", "NF-SCH-001", "NF-PRM-006"},
    "b27-403-leaks-names": {"NF-PRM-005"},
    "b28-perpage-60-90-500": {"NF-HTTP-100", "NF-PAG-101"},
}
# bugs that live on the team route only: invisible without --team-id (not a miss)
TEAM_ONLY = {
    "b01-team-count-total",
    "b09-team-ignores-runid",
    "b13-team-job-unchecked",
    "b15-team-cursor-on-last-page",
    "b25-team-no-permission",
}

# (server, variant) -> reason: mismatches the blind runs found that are still open. Round 1's
# have all been fixed; round 2's (tests/blind/FINDINGS.md, "Round 2") stand here, strict, so
# this file fails once a fix makes one pass.
_R2_STDB64 = (
    "round 2: a cursor holding '+' breaks the JS client (it does not URL-encode), but "
    "NF-PAG-018 is SHOULD, so the run passes with a warning"
)
XFAIL: dict[tuple[str, str], str] = {
    ("b24-cursor-std-base64", "plain"): _R2_STDB64,
    ("b24-cursor-std-base64", "runid_team"): _R2_STDB64,
}


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
