"""What a check sees: the target's ids, the one client, the seed, and shared, memoised data.

The checks helper extends this with memoised walks (so checks share requests); the fields below
are the stable part other modules (properties.py) rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from conformance.target import Credential, Exchange, TargetClient, TargetSettings

Route = Literal["project", "team"]


@dataclass
class CheckContext:
    client: TargetClient
    seed: int = 0
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> TargetSettings:
        return self.client.settings

    def containers_path(self, route: Route = "project", **overrides: str) -> str:
        """The path of the operation; ``overrides`` replace team_id, project_id or job_id."""
        ids = {
            "team_id": self.settings.team_id,
            "project_id": self.settings.project_id,
            "job_id": self.settings.job_id,
            **overrides,
        }
        tail = f"/projects/{ids['project_id']}/jobs/{ids['job_id']}/containers"
        if route == "team":
            if not ids["team_id"]:
                raise ValueError("the team route needs a team id")
            return f"/v1/teams/{ids['team_id']}{tail}"
        return f"/v1{tail}"

    def list_containers(
        self,
        params: dict[str, Any] | None = None,
        *,
        route: Route = "project",
        credential: Credential = Credential.PRIMARY,
    ) -> Exchange:
        return self.client.get(self.containers_path(route), params, credential=credential)
