"""The mock's configurations: other conformant servers (conformance/mock/configurations.py).

Each reads the documentation differently where it leaves a choice open, so the whole suite,
property checks included, must pass each of them: verdict conformant, no failed check. The
lenient readings must really be seen (NF-PAG-014/015 warn), or the test proves nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.mock.app import create_app
from conformance.mock.configurations import (
    CONFIGURATIONS,
    ECHO_FIELD,
    ECHO_HEADER,
    LENIENT,
    UnknownConfiguration,
)
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture
from conformance.mock.server import serve_in_thread
from conformance.options import RunOptions, mock_target
from conformance.report import load_report
from conformance.report.files import report_dict
from conformance.results import RunResult
from conformance.runner import execute, select_checks
from tests.mock.conftest import MockClient, assert_error

BIG_RUN = 1  # the default fixture's second run holds 237 containers


def _client(configuration: str) -> MockClient:
    return MockClient(create_app(configuration=configuration))


def _size(client: MockClient, **params: str) -> int:
    run_id = client.fixture.run_ids[BIG_RUN]
    response = client.containers({"runId": run_id, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["runId"] == run_id
    return len(body["data"]["containers"])


@pytest.mark.parametrize(
    ("configuration", "value", "size"),
    [
        ("lenient-per-page-clamp", "1000", 100),
        ("lenient-per-page-clamp", "0", 1),
        ("lenient-per-page-clamp", "abc", 50),
        ("lenient-per-page-default", "1000", 50),
        ("lenient-per-page-default", "-1", 50),
        ("lenient", "101", 100),
    ],
)
def test_lenient_per_page(configuration: str, value: str, size: int) -> None:
    assert _size(_client(configuration), per_page=value) == size


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_lenient_page_reads_an_invalid_page_as_the_first(value: str) -> None:
    client = _client("lenient-page-first")
    first = client.containers({"runId": client.fixture.run_ids[BIG_RUN], "per_page": "7"})
    again = client.containers(
        {"runId": client.fixture.run_ids[BIG_RUN], "per_page": "7", "page": value}
    )
    assert again.json()["data"] == first.json()["data"]
    assert_error(_client("lenient-per-page-clamp").containers({"page": value}), 400)


@pytest.mark.parametrize("configuration", LENIENT)
def test_a_cursor_never_issued_is_still_a_400(configuration: str) -> None:
    assert_error(_client(configuration).containers({"cursor": "nf-not-a-cursor"}), 400)


def test_past_the_end_is_an_empty_listing_in_every_configuration() -> None:
    for configuration in CONFIGURATIONS:
        client = _client(configuration)
        body = client.containers({"per_page": "100", "page": "99"}).json()
        assert body["data"]["containers"] == [], configuration
        assert body["pagination"]["hasNextPage"] is False


def test_echo_token_echoes_the_token_everywhere_and_wants_its_cursor_back_verbatim() -> None:
    client = _client("echo-token")
    first = client.containers({"runId": client.fixture.run_ids[BIG_RUN], "per_page": "5"})
    cursor = first.json()["pagination"]["cursor"]
    assert first.headers[ECHO_HEADER] == MOCK_TOKEN
    assert first.json()[ECHO_FIELD] == {"token": MOCK_TOKEN}
    assert cursor.startswith(MOCK_TOKEN)
    assert client.containers({"cursor": cursor}).status_code == 200
    redacted = cursor.replace(MOCK_TOKEN, "[REDACTED]")
    assert_error(client.containers({"cursor": redacted}), 400)


def test_an_unknown_configuration_names_close_matches() -> None:
    with pytest.raises(UnknownConfiguration, match="Did you mean 'lenient'"):
        create_app(configuration="lenint")


# --- the whole suite passes each configuration ----------------------------------------------


def _whole_suite(configuration: str) -> RunResult:
    target = mock_target(RunOptions(), configuration=configuration)
    return execute(target, select_checks(), seed=1)


def _not_passed(result: RunResult) -> dict[str, str]:
    return {c.id: f"{c.status.value}: {c.message}" for c in result.checks if c.status != "passed"}


@pytest.mark.slow
@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_the_whole_suite_passes_every_configuration(configuration: str) -> None:
    result = _whole_suite(configuration)
    failed = {k: v for k, v in _not_passed(result).items() if v.startswith("failed")}
    assert failed == {}
    assert report_dict(result)["verdict"] == "conformant"
    statuses = {c.id: c.status.value for c in result.checks}
    if configuration in ("lenient-per-page-clamp", "lenient-per-page-default", "lenient"):
        assert statuses["NF-PAG-014"] == "warned"  # the leniency was seen, and only warned
    if configuration == "lenient":
        assert statuses["NF-PAG-100"] == "warned"  # generated invalid values, read leniently
    if configuration in ("lenient-page-first", "lenient"):
        assert statuses["NF-PAG-015"] == "warned"
    assert statuses["NF-PAG-016"] == "passed"  # a cursor never issued: still a 4xx
    if configuration == "run-id-any-case":  # the other-case runId lists the run, named as its own
        assert statuses["NF-RUN-008"] == "warned"
        assert statuses["NF-RUN-007"] == "passed"


@pytest.mark.slow
def test_the_whole_suite_passes_a_lenient_server_over_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in list(os.environ):
        if key.startswith(("NORTHFLANK_", "NF_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NORTHFLANK_API_TOKEN", MOCK_TOKEN)
    monkeypatch.setenv("NF_CONFORMANCE_RESTRICTED_TOKEN", MOCK_RESTRICTED_TOKEN)
    fixture = Fixture.default()
    with serve_in_thread(create_app(fixture, configuration="lenient")) as base_url:
        code = main(
            [
                "run", "--base-url", base_url,
                "--project-id", fixture.project_id, "--job-id", fixture.job_id,
                "--run-id", fixture.run_ids[BIG_RUN], "--team-id", fixture.team_id,
                "--report-dir", str(tmp_path), "--seed", "3", "--rate", "500", "--no-color",
            ]
        )  # fmt: skip
    capsys.readouterr()
    report = load_report(tmp_path / "report.json")
    assert code == 0
    assert report["verdict"] == "conformant"
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["NF-PAG-014"] == statuses["NF-PAG-015"] == "warned"
    assert "failed" not in statuses.values()
