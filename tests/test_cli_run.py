"""``nf-conformance run``: the command-line contract, exit codes 0/1/2/3, and live mode against
the mock served over real HTTP on 127.0.0.1, the way CI runs it against staging."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.checks.http import OTHER_METHODS
from conformance.cli import main
from conformance.commands.run import hypothesis_cache_dir
from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import serve_in_thread
from conformance.report import load_report

CLEAN_ENV = {
    key: value for key, value in os.environ.items() if not key.startswith(("NORTHFLANK_", "NF_"))
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "conformance.cli", "run", *args]
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def no_target_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("NORTHFLANK_", "NF_")):
            monkeypatch.delenv(key)


@pytest.mark.slow
def test_quick_start_runs_the_mock_and_writes_reports_latest(tmp_path: Path) -> None:
    here = str(Path(sys.executable).parent)  # the venv's bin, even when not on PATH
    executable = shutil.which("nf-conformance", path=here) or shutil.which("nf-conformance")
    assert executable, "pip install -e . puts nf-conformance on the PATH"
    done = subprocess.run(
        [executable, "run"],
        env=CLEAN_ENV,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = load_report(tmp_path / "reports" / "latest" / "report.json")
    assert (tmp_path / "reports" / "latest" / "junit.xml").is_file()
    assert report["target"]["base_url"] is None
    assert report["summary"]["failed"] == 0
    # the default live run stays within 150 (tests/test_probes.py); in process the mock also
    # gets the 405 checks (one request per other method, never sent to a live target)
    assert report["requests_sent"] <= 150 + len(OTHER_METHODS)
    assert "Conformant" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["reports"]  # no .hypothesis/


def test_hypothesis_caches_go_to_the_user_cache_not_the_working_directory() -> None:
    assert hypothesis_cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/nf-conformance/hypothesis")
    assert hypothesis_cache_dir({}) == Path.home() / ".cache" / "nf-conformance" / "hypothesis"


@pytest.mark.slow
def test_live_mode_against_the_mock_over_http(tmp_path: Path) -> None:
    fixture = Fixture.default()
    env = {
        **CLEAN_ENV,
        "NORTHFLANK_API_TOKEN": MOCK_TOKEN,
        "NF_CONFORMANCE_RESTRICTED_TOKEN": MOCK_RESTRICTED_TOKEN,
    }
    with serve_in_thread(create_app(fixture)) as base_url:
        done = _cli(
            "--base-url", base_url,
            "--project-id", fixture.project_id,
            "--job-id", fixture.job_id,
            "--run-id", fixture.run_ids[1],
            "--team-id", fixture.team_id,
            "--report-dir", "out",
            "--seed", "5",
            "--rate", "500",
            "--no-color",
            env=env,
            cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = load_report(tmp_path / "out" / "report.json")
    assert report["target"] == {
        "base_url": base_url,
        "project_id": fixture.project_id,
        "job_id": fixture.job_id,
        "run_id": fixture.run_ids[1],
        "team_id": fixture.team_id,
    }
    assert report["seed"] == 5
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["NF-HTTP-007"] == "skipped"  # live: GET only
    assert statuses["NF-PRM-004"] == "passed"  # the restricted token from the environment
    text = "".join(p.read_text() for p in (tmp_path / "out").iterdir()) + done.stderr + done.stdout
    assert MOCK_TOKEN not in text
    assert MOCK_RESTRICTED_TOKEN not in text


@pytest.mark.slow
def test_base_url_from_the_environment_like_the_sdk(tmp_path: Path) -> None:
    fixture = Fixture.default()
    with serve_in_thread(create_app(fixture, faults=["count-is-total"])) as base_url:
        env = {**CLEAN_ENV, "NORTHFLANK_API_BASE_URL": base_url, "NORTHFLANK_API_TOKEN": MOCK_TOKEN}
        ids = ["--project-id", fixture.project_id, "--job-id", fixture.job_id]
        ids += ["--run-id", fixture.run_ids[1]]  # several pages: count differs from the total
        done = _cli(*ids, "--only", "NF-PAG-001", "--rate", "500", env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "FAIL" in done.stderr
    assert "NF-PAG-001" in done.stderr
    assert json.loads((tmp_path / "reports/latest/report.json").read_text())["summary"] == {
        "passed": 0,
        "failed": 1,
        "warned": 0,
        "skipped": 0,
    }


@pytest.mark.usefixtures("no_target_env")
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--base-url", "https://staging.example", "--project-id", "p", "--job-id", "j"],
         "set the environment variable NORTHFLANK_API_TOKEN"),
        (["--base-url", "https://staging.example"], "pass --project-id ID"),
        (["--only", "NF-PAG-03"], "Unknown check 'NF-PAG-03'. Did you mean 'NF-PAG-003'?"),
        (["--max-requests", "0"], "--max-requests must be at least 1"),
        (["--token", "x"], "unrecognized arguments: --token"),
        (["--base-url", "ftp://x.example", "--project-id", "p", "--job-id", "j"], "http(s) URL"),
    ],
)  # fmt: skip
def test_usage_and_configuration_errors_exit_2(
    args: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    if "ftp://" in args[1]:
        monkeypatch.setenv("NORTHFLANK_API_TOKEN", "nf-test-token-0123456789")
    code = _exit_code(["run", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert says in err
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit:  # argparse's usage errors
        return int(exit.code or 0)


@pytest.mark.usefixtures("no_target_env")
def test_nothing_listening_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NORTHFLANK_API_TOKEN", "nf-test-token-0123456789")
    base_url = f"http://127.0.0.1:{_free_port()}"
    code = main(["run", "--base-url", base_url, "--project-id", "p", "--job-id", "j", "--quiet"])
    err = capsys.readouterr().err
    assert code == 3
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith(
        "nf-conformance run: target unreachable: 3 requests in a row got no complete answer"
        f" from {base_url}: "
    )
    assert "refused" in lines[-1].lower()
    assert "Traceback" not in err
    report = load_report(tmp_path / "reports/latest/report.json")  # the report set is written
    assert report["requests_sent"] == 3
    assert report["transport"]["stopped"] == "target unreachable"
    assert report["summary"]["passed"] == 0
    skipped = [c for c in report["checks"] if c["status"] == "skipped"]
    assert any("target unreachable: 3 requests in a row" in c["message"] for c in skipped)


def test_a_run_stopped_by_its_budget_is_incomplete_never_conformant(
    tmp_path: Path, no_target_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    stopped, hint = "budget", "--max-requests"
    flags = ["--max-requests", "12"]
    code = main(["run", "--seed", "1", "--report-dir", str(tmp_path), "--no-color", *flags])
    report = load_report(tmp_path / "report.json")
    assert code == 1
    assert report["verdict"] == "incomplete"
    assert report["transport"]["stopped"] == stopped
    assert report["summary"]["skipped"] > 0
    assert report["summary"]["failed"] == 0  # nothing the target did wrong: just not checked
    err = capsys.readouterr().err
    assert "Incomplete: the run stopped early" in err
    assert hint in err


@pytest.mark.usefixtures("no_target_env")
def test_an_unwritable_report_dir_exits_2_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.hostile.servers import Conn, Loopback

    def answer(conn: Conn) -> None:
        conn.respond(200, "{}")

    monkeypatch.setenv("NORTHFLANK_API_TOKEN", "nf-test-token-0123456789")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with Loopback(answer) as server:
        ids = ["--project-id", "p", "--job-id", "j", "--report-dir", str(blocker / "reports")]
        code = main(["run", "--base-url", server.url, *ids])
    err = capsys.readouterr().err
    assert code == 2
    assert server.requests == [], "no budget is spent on a run whose report cannot be written"
    assert f"cannot write the report set to '{blocker / 'reports'}': Not a directory." in err
    assert "choose a writable directory with --report-dir" in err
    assert "Traceback" not in err
    assert blocker.read_text() == "not a directory"


def test_a_report_dir_probe_leaves_nothing_behind(tmp_path: Path) -> None:
    from conformance.runner import ensure_writable

    ensure_writable(tmp_path / "new" / "deeper")
    assert list(tmp_path.iterdir()) == []
