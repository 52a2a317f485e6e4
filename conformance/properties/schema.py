"""The fragment as schemathesis sees it: a fresh schema per run and the operations under test.

Only the containers operations (tag ``jobs``) are generated for; the ``discovery`` operation is
not under test. Nothing here sends a request: schemathesis only generates and judges, the run's
:class:`~conformance.target.TargetClient` sends.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import schemathesis

from conformance import spec

if TYPE_CHECKING:
    from schemathesis import APIOperation, BaseSchema

    from conformance.context import CheckContext, Route

ROUTE_TEMPLATES: dict[Route, str] = {"project": spec.PROJECT_ROUTE, "team": spec.TEAM_ROUTE}

# The statuses a rejection of invalid query values may carry: any client error. Which 4xx is
# not documented (400 and 422 are both in use); NF-HTTP-101 says whether it is a documented one.
NEGATIVE_STATUSES = ("4XX",)
# A schema-valid request gets 200; the documented exceptions are judged in judge.py.
POSITIVE_STATUSES = ("200",)

_CONFIG: dict[str, Any] = {
    # In-process runs would otherwise mine string constants from our own source code, so the
    # same seed would generate other requests in-process than against a live target.
    "analysis": {"constants": {"enabled": False}},
    "generation": {
        "database": "none",  # never replay examples stored by an earlier run
        "with-security-parameters": False,  # auth is the TargetClient's job
        "allow-x00": False,
        "codec": "utf-8",
    },
    # The coverage phase would otherwise add requests with undeclared methods (POST, DELETE...).
    "phases": {"coverage": {"unexpected-methods": []}},
    "checks": {
        "negative_data_rejection": {"expected-statuses": list(NEGATIVE_STATUSES)},
        "positive_data_acceptance": {"expected-statuses": list(POSITIVE_STATUSES)},
    },
}


def load() -> BaseSchema:
    """A new schemathesis schema over the fragment (cheap after the first: about a millisecond).

    A fresh schema per run keeps one run's state (caches, feedback) out of the next, so the same
    seed generates the same requests.
    """
    config = schemathesis.Config.from_dict(copy.deepcopy(_CONFIG))
    return schemathesis.openapi.from_dict(copy.deepcopy(spec.fragment()), config=config)


def operation(schema: BaseSchema, route: Route) -> APIOperation[Any, Any, Any, Any]:
    found: APIOperation[Any, Any, Any, Any] = schema[ROUTE_TEMPLATES[route]]["GET"]
    return found


def routes(ctx: CheckContext) -> list[Route]:
    """The routes under test: the team route too when the run knows a team id."""
    return ["project", "team"] if ctx.settings.team_id else ["project"]


def path_parameters(ctx: CheckContext, route: Route) -> dict[str, str]:
    """The target's own ids: generated ids would only ever find nothing."""
    settings = ctx.settings
    ids = {"projectId": settings.project_id, "jobId": settings.job_id}
    if route == "team":
        if not settings.team_id:
            raise ValueError("the team route needs a team id")
        ids["teamId"] = settings.team_id
    return ids
