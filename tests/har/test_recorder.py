"""HarRecorder: the HAR document of a run (creator, _conformance), written redacted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import __version__
from conformance.har import HarError, HarRecorder, load_har, problems
from conformance.options import RunOptions, mock_target
from conformance.results import RunResult
from conformance.target import Credential, open_client


def _result(**fields: object) -> RunResult:
    values: dict[str, object] = {
        "tool": {"name": "nf-conformance", "version": __version__},
        "spec": {"path": "spec/job-containers.openapi.yaml", "sha256": "0" * 64},
        "target": {"base_url": None, "project_id": "p", "job_id": "j"},
        "seed": 42,
        "started_at": "2026-12-01T09:00:00+00:00",
        "duration_s": 1.0,
        "requests_sent": 3,
        "checks": [],
    }
    values.update(fields)
    return RunResult(**values)  # type: ignore[arg-type]


def test_the_document_names_the_suite_and_the_run_and_replays(tmp_path: Path) -> None:
    target = mock_target(RunOptions())
    recorder = HarRecorder(tmp_path / "sub" / "run.har")
    with open_client(target.settings, target.app) as client:
        recorder.attach(client)
        for credential in (Credential.PRIMARY, Credential.NONE, Credential.RESTRICTED):
            client.get(f"/v1/projects/{client.settings.project_id}/jobs/x/containers",
                       credential=credential)  # fmt: skip
        secrets = client.secrets
    path = recorder.write(_result())
    document = load_har(path)
    assert problems(document) == []
    log = document["log"]
    assert log["creator"] == {"name": "nf-conformance", "version": __version__}
    conformance = log["_conformance"]
    assert conformance["seed"] == 42
    assert conformance["recorded_at"] == "2026-12-01T09:00:00+00:00"
    assert conformance["spec"]["sha256"] == "0" * 64
    assert conformance["target"]["project_id"] == "p"
    assert conformance["requests_sent"] == 3
    assert conformance["settings"]["restricted_token"] is True
    assert conformance["settings"]["max_body_bytes"] == target.settings.max_body_bytes
    assert [e["_credential"] for e in log["entries"]] == ["primary", "none", "restricted"]
    text = path.read_text(encoding="utf-8")
    assert [secret for secret in secrets if secret in text] == []


def test_a_secret_anywhere_in_the_document_is_redacted_on_the_way_out(tmp_path: Path) -> None:
    target = mock_target(RunOptions())
    recorder = HarRecorder(tmp_path / "run.har")
    with open_client(target.settings, target.app) as client:
        recorder.attach(client)
        token = client.settings.token
    path = recorder.write(_result(target={"base_url": None, "project_id": token, "job_id": "j"}))
    text = path.read_text(encoding="utf-8")
    assert token not in text
    assert json.loads(text)["log"]["_conformance"]["target"]["project_id"] == "[REDACTED]"


def test_a_har_that_cannot_be_written_is_a_har_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    recorder = HarRecorder(tmp_path / "file" / "run.har")
    with pytest.raises(HarError, match="cannot write"):
        recorder.write(_result())
