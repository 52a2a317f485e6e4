"""``--replay PATH.har``: the target a recording stands for, answered by the replay transport.

:func:`open_recording` reads the file (:class:`~conformance.har.document.HarError` with the
reason when it cannot be replayed) and gives the settings of the recorded run (ids, limits;
placeholder tokens, since the replay matches on the kind of credential, never its value), the
transport that answers from its entries, and the recorded seed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from conformance.har.document import HarError, load_har
from conformance.har.links import link_evidence
from conformance.target import ReplayTransport, TargetSettings

if TYPE_CHECKING:
    from conformance.results import RunResult

REPLAY_TOKEN = "nf-replay-placeholder-primary"  # noqa: S105 - a placeholder, not a token
REPLAY_RESTRICTED_TOKEN = "nf-replay-placeholder-restricted"  # noqa: S105 - likewise


@dataclass
class Recording:
    """A recording opened for replay."""

    path: Path
    settings: TargetSettings
    transport: ReplayTransport = field(repr=False)
    seed: int | None
    recorded: dict[str, Any]  # the file's log._conformance

    def report_info(self) -> dict[str, Any]:
        """What report.json's ``recording`` says: the file, when and against what, unanswered."""
        return {
            "file": self.path.name,
            "recorded_at": self.recorded.get("recorded_at"),
            "target": self.recorded.get("target", {}),
            "recorded_with": self.recorded.get("tool"),
            "seed": self.seed,
            "spec_sha256": self.recorded.get("spec", {}).get("sha256"),
            "entries": len(self.transport.entries),
            "unanswered": self.transport.unanswered,
            "unanswered_requests": list(self.transport.unanswered_requests),
        }


def _check_entries(entries: Sequence[Mapping[str, Any]], path: Path) -> None:
    """What schema validation leaves open and the replay needs: URLs, base64, the cap."""
    for index, entry in enumerate(entries):
        where = f"{path}: log.entries[{index}]"
        try:
            httpx.URL(str(entry["request"]["url"]))
        except httpx.InvalidURL as error:
            raise HarError(f"{where}: request.url is not a URL ({error})") from None
        content = entry["response"]["content"]
        if content.get("encoding") == "base64":
            try:
                base64.b64decode(str(content.get("text", "")), validate=True)
            except binascii.Error:
                raise HarError(f"{where}: response.content.text is not base64") from None
        capped = entry.get("_capped")
        if capped is not None and not (
            isinstance(capped, Mapping) and type(capped.get("limit")) is int
        ):
            raise HarError(f"{where}: _capped needs an integer limit")


def _text(value: Any, what: str, path: Path) -> str:
    if not isinstance(value, str) or not value:
        raise HarError(f"{path}: log._conformance.{what} is missing; re-record the run")
    return value


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def open_recording(
    path: Path | str, *, overrides: dict[str, str | None] | None = None
) -> Recording:
    """The recording at ``path``; ``overrides`` (project_id, job_id, run_id, team_id) win."""
    path = Path(path)
    document = load_har(path)
    recorded: dict[str, Any] = document["log"]["_conformance"]
    target = recorded.get("target")
    if not isinstance(target, dict):
        raise HarError(f"{path}: log._conformance.target is missing; re-record the run")
    ids = {key: target.get(key) for key in ("project_id", "job_id", "run_id", "team_id")}
    ids.update({key: value for key, value in (overrides or {}).items() if value})
    found = recorded.get("settings")
    limits: dict[str, Any] = found if isinstance(found, dict) else {}
    defaults = TargetSettings(base_url=None, project_id="", job_id="", token="")
    restricted = REPLAY_RESTRICTED_TOKEN if limits.get("restricted_token", True) else None

    def number(name: str) -> Any:
        value = limits.get(name)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return value if ok else getattr(defaults, name)

    settings = TargetSettings(
        base_url=_optional(target.get("base_url")),
        project_id=_text(ids["project_id"], "target.project_id", path),
        job_id=_text(ids["job_id"], "target.job_id", path),
        token=REPLAY_TOKEN,
        restricted_token=restricted,
        team_id=_optional(ids["team_id"]),
        run_id=_optional(ids["run_id"]),
        max_requests=int(number("max_requests")),
        timeout_s=float(number("timeout_s")),
        deadline_s=float(number("deadline_s")),
        rate_per_s=None,  # nothing to pace: no request leaves the process
        max_body_bytes=int(number("max_body_bytes")),
        min_ratelimit_remaining=int(number("min_ratelimit_remaining")),
        max_retries=int(number("max_retries")),
        max_retry_wait_s=float(number("max_retry_wait_s")),
    )
    entries = document["log"]["entries"]
    _check_entries(entries, path)
    transport = ReplayTransport(entries, token=REPLAY_TOKEN, restricted_token=restricted)
    seed = recorded.get("seed")
    return Recording(
        path=path,
        settings=settings,
        transport=transport,
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        recorded=recorded,
    )


def finish_replay(result: RunResult, recording: Recording) -> None:
    """Say in the result that it came from a recording; link failures to its entries."""
    result.recording = recording.report_info()
    link_evidence(result, recording.transport.entries, recording.transport.served)
