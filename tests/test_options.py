"""Options to targets: the mock with its own ids and tokens, or a live URL with env tokens."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.mock.fixture import MOCK_TOKEN, Fixture
from conformance.options import ConfigError, RunOptions, resolve_target


def test_without_a_base_url_the_mock_runs_with_its_own_ids_and_tokens() -> None:
    target = resolve_target(RunOptions(), env={})
    fixture = Fixture.default()
    settings = target.settings
    assert target.app is not None
    assert (settings.base_url, settings.project_id, settings.job_id, settings.team_id) == (
        None,
        fixture.project_id,
        fixture.job_id,
        fixture.team_id,
    )
    assert settings.token == MOCK_TOKEN
    assert settings.restricted_token
    assert settings.run_id == fixture.run_ids[1]  # the older run with 237 containers
    assert settings.rate_per_s is None


def test_live_settings_come_from_flags_and_the_environment() -> None:
    env = {
        "NORTHFLANK_API_BASE_URL": "https://staging.example/",
        "NORTHFLANK_API_TOKEN": "t0k",
        "NF_CONFORMANCE_RESTRICTED_TOKEN": "r0k",
    }
    options = RunOptions(project_id="p", job_id="j", run_id="r", team_id="t", rate=2.0)
    settings = resolve_target(options, env=env).settings
    assert settings.base_url == "https://staging.example"
    assert (settings.project_id, settings.job_id, settings.run_id, settings.team_id) == (
        "p",
        "j",
        "r",
        "t",
    )
    assert (settings.token, settings.restricted_token, settings.rate_per_s) == ("t0k", "r0k", 2.0)
    assert "t0k" not in repr(settings)


def test_live_runs_are_paced_by_default() -> None:
    env = {"NORTHFLANK_API_TOKEN": "t"}
    options = RunOptions(base_url="https://x.example", project_id="p", job_id="j")
    assert resolve_target(options, env=env).settings.rate_per_s == 5.0


@pytest.mark.parametrize(
    ("env", "options", "says"),
    [
        ({}, {"project_id": "p", "job_id": "j"}, "NORTHFLANK_API_TOKEN"),
        ({"NORTHFLANK_API_TOKEN": " "}, {"project_id": "p", "job_id": "j"}, "NORTHFLANK_API_TOKEN"),
        ({"NORTHFLANK_API_TOKEN": "t"}, {"job_id": "j"}, "--project-id"),
        ({"NORTHFLANK_API_TOKEN": "t"}, {"project_id": "p"}, "--job-id"),
    ],
)
def test_a_live_run_missing_something_says_what(
    env: dict[str, str], options: dict[str, Any], says: str
) -> None:
    with pytest.raises(ConfigError, match=says):
        resolve_target(RunOptions(base_url="https://x.example", **options), env=env)


def test_tokens_are_never_options() -> None:
    assert not any("token" in name for name in RunOptions.__dataclass_fields__)
