"""Record a live run against the mock served over real HTTP on 127.0.0.1, stop the server, replay
the recording offline: the same verdict and the same outcome for every check, without a token.
``--spec`` then judges the recorded answers against another version of the fragment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from conformance.cli import main
from conformance.har import load_har, problems
from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import serve_in_thread
from conformance.options import RESTRICTED_TOKEN_ENV, TOKEN_ENV, RunOptions
from conformance.runner import Outcome, run
from conformance.spec import FRAGMENT_PATH, fragment_sha256
from conformance.target import Credential
from tests.hostile.servers import Loopback
from tests.hostile.test_slow import hang

FIXTURE = Fixture.default()
LIVE_ENV = {TOKEN_ENV: MOCK_TOKEN, RESTRICTED_TOKEN_ENV: MOCK_RESTRICTED_TOKEN}
SEED = 11


class FlakyEveryFifth:
    """The mock behind a gateway that answers every fifth request 503: the client retries."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen += 1
            if self.seen % 5 == 0:
                await send({"type": "http.response.start", "status": 503, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


# Faults of several kinds: a body shape, pagination, permissions, a 5xx, HTML error pages, a
# rate limit that stops the run early (429 with a long Retry-After: the quota checks skip), and
# a flaky gateway whose 503s the client retries (each attempt is its own entry).
CASES: dict[str, tuple[list[str], dict[str, Any]]] = {
    "clean": ([], {}),
    "status-outside-enum": (["status-outside-enum"], {}),
    "count-is-total": (["count-is-total"], {}),
    "restricted-token-allowed": (["restricted-token-allowed"], {}),
    "server-error-on-bad-input": (["server-error-on-bad-input"], {}),
    "html-error-pages": (["html-error-pages"], {}),
    "rate-limited-after-40": ([], {"rate_limit": 40}),
    "flaky-gateway-503": ([], {"flaky": True}),
}


def record_live(
    tmp_path: Path, faults: list[str], app_options: dict[str, Any], *only: str
) -> tuple[Outcome, Path, str]:
    har = tmp_path / "staging.har"
    kwargs = dict(app_options)
    flaky = kwargs.pop("flaky", False)
    app = create_app(FIXTURE, faults, **kwargs)
    with serve_in_thread(FlakyEveryFifth(app) if flaky else app) as base_url:
        options = RunOptions(
            base_url=base_url,
            project_id=FIXTURE.project_id,
            job_id=FIXTURE.job_id,
            run_id=FIXTURE.run_ids[1],
            team_id=FIXTURE.team_id,
            report_dir=tmp_path / "live",
            seed=SEED,
            only=only,
            rate=1000.0,
            record=har,
            quiet=True,
            no_color=True,
        )
        outcome = run(options, env=LIVE_ENV)
    with pytest.raises(httpx.ConnectError):  # the server is gone: the replay cannot use it
        httpx.get(base_url, timeout=2)
    return outcome, har, base_url


def replay(tmp_path: Path, har: Path, name: str, **options: Any) -> Outcome:
    return run(
        RunOptions(replay=har, report_dir=tmp_path / name, quiet=True, no_color=True, **options),
        env={},  # no token at all
    )


def outcomes(outcome: Outcome) -> dict[str, str]:
    return {check["id"]: check["status"] for check in outcome.report["checks"]}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_a_replay_gives_the_live_runs_verdict_and_outcomes_check_by_check(
    tmp_path: Path, case: str
) -> None:
    faults, app_options = CASES[case]
    live, har, base_url = record_live(tmp_path, faults, app_options)
    replayed = replay(tmp_path, har, "replay")

    assert outcomes(replayed) == outcomes(live)
    assert replayed.report["verdict"] == live.report["verdict"]
    assert replayed.exit_code == live.exit_code
    assert replayed.report["requests_sent"] == live.report["requests_sent"]
    assert replayed.report["seed"] == SEED, "the recorded seed is the default"
    assert replayed.report["target"] == live.report["target"], "ids from the recording"
    recording = replayed.report["recording"]
    assert recording["file"] == "staging.har"
    assert recording["recorded_at"] == live.report["started_at"]
    assert recording["target"]["base_url"] == base_url
    assert recording["unanswered"] == 0

    document = load_har(har)
    assert problems(document) == []
    entries = document["log"]["entries"]
    assert len(entries) == live.report["requests_sent"], "every attempt, in order"
    assert document["log"]["creator"]["name"] == "nf-conformance"
    conformance = document["log"]["_conformance"]
    assert conformance["seed"] == SEED
    assert conformance["spec"]["sha256"] == fragment_sha256()
    assert conformance["requests_sent"] == live.report["requests_sent"]
    assert conformance["target"]["job_id"] == FIXTURE.job_id
    assert live.report["har"] == {"file": str(har), "entries": len(entries)}
    retried = live.report["transport"]["retries_transient"]
    assert retried == replayed.report["transport"]["retries_transient"]
    assert sum(1 for e in entries if e["response"]["status"] == 503) == retried
    if case == "flaky-gateway-503":
        assert retried > 5, "the retried attempts are entries too"
    text = har.read_text(encoding="utf-8")
    assert MOCK_TOKEN not in text
    assert MOCK_RESTRICTED_TOKEN not in text
    if case == "clean":  # the permission checks send the same URL with every credential
        assert {e["_credential"] for e in entries} == {kind.value for kind in Credential}

    for report in (live.report, replayed.report):
        for check in report["checks"]:
            for item in check["evidence"]:
                if "har_entry" not in item:
                    continue
                entry = entries[item["har_entry"]]
                assert entry["request"]["method"] == item["request"]["method"]
                assert entry["_credential"] == item["request"]["credential"]
                assert entry["request"]["url"].endswith(item["request"]["url"].split("?")[0]) or (
                    item["request"]["url"].split("?")[0] in entry["request"]["url"]
                )
    if live.report["summary"]["failed"]:
        linked = [
            item
            for check in live.report["checks"]
            if check["status"] == "failed"
            for item in check["evidence"]
            if "har_entry" in item
        ]
        assert linked, "a failure links to its exchange in the HAR"


def _fragment_with_statuses(tmp_path: Path, *added: str) -> Path:
    document = yaml.safe_load(FRAGMENT_PATH.read_text(encoding="utf-8"))
    document["components"]["schemas"]["ContainerStatus"]["enum"] += list(added)
    path = tmp_path / "next.openapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_spec_judges_a_recording_against_another_fragment_and_diff_shows_the_flip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live, har, _ = record_live(tmp_path, ["status-outside-enum"], {}, "NF-SCH-001")
    assert outcomes(live) == {"NF-SCH-001": "failed"}
    only = ("NF-SCH-001",)
    today = replay(tmp_path, har, "today", only=only)
    assert outcomes(today) == {"NF-SCH-001": "failed"}
    message = today.report["checks"][0]["message"]
    assert "status" in message

    statuses = ["Running", "Starting", "Staging", "Killing", "Killed", "Failed", "Finished"]
    fragment = _fragment_with_statuses(tmp_path, *statuses)
    edited = replay(tmp_path, har, "edited", spec=fragment, only=only)
    assert outcomes(edited) == {"NF-SCH-001": "passed"}
    assert edited.report["spec"]["path"].endswith("next.openapi.yaml")
    assert edited.report["spec"]["sha256"] != today.report["spec"]["sha256"]
    assert edited.report["recording"]["unanswered"] == 0

    again = replay(tmp_path, har, "again", only=only)  # nothing of --spec leaks into the next run
    assert outcomes(again) == {"NF-SCH-001": "failed"}
    assert again.report["spec"]["sha256"] == fragment_sha256()

    capsys.readouterr()
    code = main(["diff", str(today.paths["json"]), str(edited.paths["json"])])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "NF-SCH-001" in out


@pytest.mark.slow
def test_a_request_the_recording_cannot_answer_skips_its_checks(tmp_path: Path) -> None:
    _, har, _ = record_live(tmp_path, [], {}, "NF-PAG-001")
    other_seed = replay(tmp_path, har, "full")  # every check, from a recording of one
    recording = other_seed.report["recording"]
    assert recording["unanswered"] > 0
    assert recording["unanswered_requests"]
    statuses = outcomes(other_seed)
    assert statuses["NF-PAG-001"] == "passed"
    skipped = [c for c in other_seed.report["checks"] if c["status"] == "skipped"]
    assert any("not in the recording" in c["message"] for c in skipped)
    assert other_seed.report["summary"]["failed"] == 0, "never failed for a missing answer"
    md = other_seed.paths["markdown"].read_text(encoding="utf-8")
    assert f"{recording['unanswered']} requests not in the recording" in md
    html = other_seed.paths["html"].read_text(encoding="utf-8")
    assert "not in the recording" in html
    json.loads(other_seed.paths["json"].read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_run_the_deadline_stopped_replays_to_the_same_outcomes(tmp_path: Path) -> None:
    har = tmp_path / "hang.har"
    with Loopback(hang, max_lifetime_s=60) as server:
        options = RunOptions(
            base_url=server.url,
            project_id="demo",
            job_id="nightly",
            report_dir=tmp_path / "live",
            seed=SEED,
            rate=1000.0,
            timeout=0.8,
            deadline=1.2,  # the deadline cuts the second attempt, before 3 in a row: unreachable
            record=har,
            quiet=True,
            no_color=True,
        )
        live = run(options, env={TOKEN_ENV: "nf-hang-test-token-0123456789"})
    assert live.report["transport"]["timeouts"] >= 1
    entries = load_har(har)["log"]["entries"]
    assert entries[-1]["_errorKind"] == "RunDeadline", "the attempt the deadline cut"
    replayed = replay(tmp_path, har, "replay")
    assert outcomes(replayed) == outcomes(live)
    assert replayed.report["verdict"] == live.report["verdict"]
    assert live.report["transport"]["stopped"] == "deadline"
    skipped = [c for c in replayed.report["checks"] if c["status"] == "skipped"]
    assert skipped, "what the deadline stopped live is skipped in the replay too"
