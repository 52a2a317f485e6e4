"""What a run was asked to do, and where it goes: options to target settings.

:class:`RunOptions` is what ``nf-conformance run`` was asked; :func:`resolve_target` turns it into
a :class:`Target`: a live URL with tokens from the environment (:func:`live_target`), or the
built-in mock in process with its own ids and tokens (:func:`mock_target`). What a run lacks is a
:class:`ConfigError` naming how to supply it (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.target import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_REQUESTS,
    DEFAULT_TIMEOUT_S,
    TargetSettings,
)

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from conformance.har import Recording

TOKEN_ENV = "NORTHFLANK_API_TOKEN"  # noqa: S105 - the name of a variable, not a token
RESTRICTED_TOKEN_ENV = "NF_CONFORMANCE_RESTRICTED_TOKEN"  # noqa: S105 - likewise
BASE_URL_ENV = "NORTHFLANK_API_BASE_URL"
DEFAULT_REPORT_DIR = Path("reports/latest")
DEFAULT_LIVE_RATE = 5.0  # requests per second against a live target


class ConfigError(Exception):
    """The run cannot start: the message says what is missing and how to supply it (exit 2)."""


@dataclass(frozen=True)
class RunOptions:
    """What ``nf-conformance run`` was asked to do (tokens never: they come from the env)."""

    base_url: str | None = None
    project_id: str | None = None
    job_id: str | None = None
    run_id: str | None = None
    team_id: str | None = None
    report_dir: Path = DEFAULT_REPORT_DIR
    seed: int | None = None
    only: tuple[str, ...] = ()
    max_requests: int = DEFAULT_MAX_REQUESTS
    rate: float | None = None  # None: no pacing on the mock, DEFAULT_LIVE_RATE live
    timeout: float = DEFAULT_TIMEOUT_S
    deadline: float = DEFAULT_DEADLINE_S
    expected_failures: Path | None = None
    quiet: bool = False
    no_color: bool = False
    record: Path | None = None  # --record PATH.har: write every exchange of the run there
    replay: Path | None = None  # --replay PATH.har: answer every request from that recording
    spec: Path | None = None  # --spec FRAGMENT.yaml: judge against this fragment instead


@dataclass
class Target:
    """Where a run goes: the settings, and the app when it is the in-process mock.

    ``recording``: a replay, whose transport answers every request (no network at all).
    """

    settings: TargetSettings
    app: ASGIApp | None = field(default=None, repr=False)
    recording: Recording | None = field(default=None, repr=False)


def _multi_page_run(runs: Sequence[Any]) -> str:
    """The mock run a walk spans several pages of: the largest run that is not the latest."""
    older = list(runs[1:]) or list(runs)
    return str(max(older, key=lambda run: run.container_count).id)


def mock_target(options: RunOptions, *, faults: Iterable[str] = (), **app_options: Any) -> Target:
    """The built-in mock, in process, with its own ids and tokens (options may override ids)."""
    from conformance.mock.app import create_app
    from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture

    fixture = app_options.pop("fixture", None) or Fixture.default()
    job_id = options.job_id or fixture.job_id
    job = fixture.job(job_id)
    run_id = options.run_id or (_multi_page_run(job.runs) if job else None)
    settings = TargetSettings(
        base_url=None,
        project_id=options.project_id or fixture.project_id,
        job_id=job_id,
        token=MOCK_TOKEN,
        restricted_token=MOCK_RESTRICTED_TOKEN,
        team_id=options.team_id or fixture.team_id,
        run_id=run_id,
        max_requests=options.max_requests,
        timeout_s=options.timeout,
        deadline_s=options.deadline,
        rate_per_s=options.rate,
    )
    return Target(settings, create_app(fixture, tuple(faults), **app_options))


def live_target(options: RunOptions, env: Mapping[str, str]) -> Target:
    """A live URL; ids from the flags, tokens from the environment only."""
    base_url = options.base_url or env.get(BASE_URL_ENV) or ""
    token = env.get(TOKEN_ENV, "").strip()
    missing = []
    if not token:
        missing.append(
            f"set the environment variable {TOKEN_ENV} to a token with the job's "
            "'View Instance Logs' permission (never a flag: flags land in shell history)"
        )
    if not options.project_id:
        missing.append("pass --project-id ID (the project of the job to check)")
    if not options.job_id:
        missing.append("pass --job-id ID (the job whose containers are listed)")
    if missing:
        raise ConfigError(f"A run against {base_url} needs more: " + "; ".join(missing) + ".")
    restricted = env.get(RESTRICTED_TOKEN_ENV, "").strip() or None
    settings = TargetSettings(
        base_url=base_url.rstrip("/"),
        project_id=options.project_id or "",
        job_id=options.job_id or "",
        token=token,
        restricted_token=restricted,
        team_id=options.team_id,
        run_id=options.run_id,
        max_requests=options.max_requests,
        timeout_s=options.timeout,
        deadline_s=options.deadline,
        rate_per_s=options.rate if options.rate is not None else DEFAULT_LIVE_RATE,
    )
    return Target(settings)


def replay_target(options: RunOptions) -> Target:
    """The recorded run of ``options.replay``: its ids (flags override them), no token needed."""
    from conformance.har import HarError, open_recording

    if options.replay is None:
        raise ConfigError("no recording to replay: pass --replay PATH.har")
    if options.base_url:
        raise ConfigError(
            "--replay answers every request from the recording; it takes no --base-url "
            "(drop one of the two)"
        )
    overrides = {
        "project_id": options.project_id,
        "job_id": options.job_id,
        "run_id": options.run_id,
        "team_id": options.team_id,
    }
    try:
        recording = open_recording(options.replay, overrides=overrides)
    except HarError as error:
        raise ConfigError(str(error)) from None
    return Target(recording.settings, recording=recording)


def resolve_target(options: RunOptions, env: Mapping[str, str] | None = None) -> Target:
    """A replay with ``--replay``; a live target when a base URL is given (flag or
    environment), else the mock."""
    env = os.environ if env is None else env
    if options.replay is not None:
        return replay_target(options)
    if options.base_url or env.get(BASE_URL_ENV):
        return live_target(options, env)
    return mock_target(options)
