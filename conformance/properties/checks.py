"""The property checks (NF-<AREA>-100..199): schemathesis's verdicts on generated requests.

Every check reads the one memoised property run (run.py), so they share their requests; each
reports its own findings under its own ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, Level, NotRun, Violation, check
from conformance.properties import judge
from conformance.properties.run import PropertyRun, property_run
from conformance.properties.verdict import conclude, evidence

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.properties.run import Sent


def _responses(run: PropertyRun) -> list[Sent]:
    return [sent for sent in run.sent if sent.response is not None]


@check(
    id="NF-HTTP-100",
    title="Generated requests never get a 5xx or no answer",
    requirements=["REQ-HTTP-NO-5XX", "REQ-HTTP-200"],
    level=Level.MUST,
)
def generated_requests_get_no_server_error(ctx: CheckContext) -> None:
    """A 5xx for a request the client got wrong hides the client's mistake (schemathesis
    not_a_server_error, over every generated and walked request)."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-HTTP-100",
        run,
        judge.server_errors(run),
        expected="a response below 500 to every generated request",
        judged=run.sent,
    )


@check(
    id="NF-HTTP-101",
    title="Generated requests get only documented status codes",
    requirements=["REQ-HTTP-200", "REQ-HTTP-CLIENT-ERROR"],
    level=Level.MUST,
)
def generated_requests_get_documented_statuses(ctx: CheckContext) -> None:
    """Clients branch on the status (schemathesis status_code_conformance); an undocumented 4xx
    only warns."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-HTTP-101",
        run,
        judge.undocumented_statuses(run),
        expected="200, 400, 401, 403, 404 or 429, as the fragment documents",
        judged=_responses(run),
    )


@check(
    id="NF-HTTP-102",
    title="Responses to generated requests are JSON",
    requirements=["REQ-HTTP-JSON", "REQ-ERR-JSON"],
    level=Level.MUST,
)
def generated_requests_get_json(ctx: CheckContext) -> None:
    """The JS client throws on a non-JSON body (schemathesis content_type_conformance)."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-HTTP-102",
        run,
        judge.content_types(run),
        expected="Content-Type application/json on every documented response",
        judged=_responses(run),
    )


@check(
    id="NF-SCH-100",
    title="Responses to generated requests match the fragment",
    requirements=[
        "REQ-SCH-BODY",
        "REQ-SCH-DATA",
        "REQ-SCH-CONTAINERS",
        "REQ-SCH-PAGINATION",
        "REQ-ERR-SHAPE",
    ],
    level=Level.MUST,
)
def generated_responses_match_schema(ctx: CheckContext) -> None:
    """Bodies outside the documented shape break typed clients (schemathesis
    response_schema_conformance, on every page of the walks too)."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-SCH-100",
        run,
        judge.schema_mismatches(run),
        expected="every body valid against the fragment's schema for its status",
        judged=_responses(run),
    )


@check(
    id="NF-PAG-100",
    title="Invalid generated per_page and page values get a 4xx",
    requirements=["REQ-PAG-INVALID-PARAMS", "REQ-HTTP-CLIENT-ERROR"],
    level=Level.SHOULD,
)
def invalid_query_values_rejected(ctx: CheckContext) -> None:
    """A 400 tells the caller about its mistake (schemathesis negative_data_rejection); reading
    an invalid value leniently is a choice the documentation leaves open, so this only warns
    (no 5xx, the 100 cap and the listing's shape are NF-HTTP-100, NF-PAG-102 and NF-SCH-100)."""
    run = property_run(ctx)
    negatives = [
        sent
        for sent in run.of_kind("coverage", "fuzz")
        if sent.case.meta is not None and sent.case.meta.generation.mode.is_negative
    ]
    conclude(
        ctx,
        "NF-PAG-100",
        run,
        judge.accepted_invalid_values(run),
        expected="a 4xx for a per_page or page the fragment does not allow",
        judged=negatives,
        what="negative generated request",
    )


@check(
    id="NF-PAG-101",
    title="Valid generated query values are accepted",
    requirements=["REQ-PAG-PER-PAGE", "REQ-PAG-PAGE", "REQ-PAG-DEFAULT-SIZE", "REQ-RUN-UNKNOWN"],
    level=Level.MUST,
)
def valid_query_values_accepted(ctx: CheckContext) -> None:
    """Every per_page in 1..100 and every page from 1 is documented (schemathesis
    positive_data_acceptance; 400/404 pass for a cursor, runId or page the server cannot know)."""
    run = property_run(ctx)
    positives = [
        sent
        for sent in run.of_kind("coverage", "fuzz")
        if sent.case.meta is not None and sent.case.meta.generation.mode.is_positive
    ]
    known = {ctx.settings.run_id} if ctx.settings.run_id else set()
    conclude(
        ctx,
        "NF-PAG-101",
        run,
        judge.rejected_valid_values(run, known),
        expected="200 for a schema-valid query",
        judged=positives,
        what="positive generated request",
    )


def _pages(run: PropertyRun) -> list[Sent]:
    return [sent for sent in run.sent if sent.response is not None and sent.exchange.status == 200]


@check(
    id="NF-PAG-102",
    title="Generated pages keep count, per_page and the 100 cap",
    requirements=["REQ-PAG-COUNT", "REQ-PAG-PER-PAGE", "REQ-PAG-MAX-100"],
    level=Level.MUST,
)
def generated_pages_keep_count_and_size(ctx: CheckContext) -> None:
    """count is what this page returned; per_page and 100 bound it, for any generated query."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-PAG-102",
        run,
        judge.page_invariants(run),
        expected="pagination.count == len(data.containers) <= min(per_page, 100)",
        judged=_pages(run),
        what="page (200 listing)",
    )


@check(
    id="NF-PAG-103",
    title="Generated last pages carry no next cursor",
    requirements=["REQ-PAG-LAST-PAGE", "REQ-PAG-HAS-NEXT-PAGE"],
    level=Level.MUST,
)
def generated_last_pages_have_no_cursor(ctx: CheckContext) -> None:
    """The JS client follows any cursor, so one on a last page loops forever."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-PAG-103",
        run,
        judge.cursors_on_last_pages(run),
        expected="no pagination.cursor key when hasNextPage is false",
        judged=_pages(run),
        what="page (200 listing)",
    )


@check(
    id="NF-PAG-104",
    title="Following the cursor link reaches the last page",
    requirements=["REQ-PAG-WALK", "REQ-PAG-CURSOR", "REQ-PAG-TERMINATES"],
    level=Level.MUST,
)
def cursor_link_walk_reaches_last_page(ctx: CheckContext) -> None:
    """Tools follow the fragment's link from pagination.cursor to the cursor parameter; a walk
    that breaks, loops or repeats containers never ends or loses items."""
    run = property_run(ctx)
    for walk in run.walks:
        if walk.outcome in ("error", "loop", "repeat"):
            last = walk.steps[-1]
            raise Violation(
                expected="a readable 200 page of new containers per step, to hasNextPage false",
                received=f"{walk.describe()}: {walk.problem} (GET {last.exchange.url})",
                evidence=evidence(ctx, "NF-PAG-104", last, last.label),
            )
    if run.stopped is not None:
        raise NotRun(f"the property tests could not finish: {run.stopped}")
    if not run.walks or not run.walks[0].steps:
        share = run.options.max_requests
        raise NotRun(f"no walk was sent (the property share of requests is {share})")
    summary = "; ".join(f"{w.describe()}: {w.outcome} after {len(w.steps)}" for w in run.walks)
    for walk in run.walks:
        if walk.outcome == "no-cursor":
            raise Advisory(
                f"{walk.describe()}: {walk.problem}; the link cannot be followed (the Python SDK "
                "falls back to page + 1, the JS client stops)",
                evidence=evidence(ctx, "NF-PAG-104", walk.steps[-1], walk.steps[-1].label),
            )
    if not any(walk.ended for walk in run.walks):
        raise NotRun(f"no walk reached the last page within its requests ({summary})")
    if not any(len(walk.steps) > 1 for walk in run.walks):
        raise NotRun(
            f"the run fits on one page, so the link was never followed ({summary}); "
            "pass --run-id with a run of more containers"
        )


@check(
    id="NF-RUN-100",
    title="Listings for a generated runId name that run",
    requirements=["REQ-RUN-FILTER", "REQ-RUN-ECHO", "REQ-RUN-UNKNOWN"],
    level=Level.MUST,
)
def generated_run_ids_echoed(ctx: CheckContext) -> None:
    """A listing for run X that names another run hands out another run's containers."""
    run = property_run(ctx)
    judged = [sent for sent in _responses(run) if sent.exchange.params.get("runId")]
    conclude(
        ctx,
        "NF-RUN-100",
        run,
        judge.run_id_mismatches(run),
        expected="data.runId equal to the runId asked for (or 404 for an unknown run)",
        judged=judged,
        what="request with a runId",
    )


@check(
    id="NF-PRM-100",
    title="Generated unknown project, job and team ids get 404",
    requirements=["REQ-HTTP-404", "REQ-HTTP-PATH-PROJECT", "REQ-HTTP-PATH-JOB"],
    level=Level.MUST,
)
def generated_unknown_ids_not_found(ctx: CheckContext) -> None:
    """An id that names nothing must not list anything (another 4xx than 404 only warns)."""
    run = property_run(ctx)
    conclude(
        ctx,
        "NF-PRM-100",
        run,
        judge.unknown_ids_found(run),
        expected="404 for a project, job or team id the target cannot know",
        judged=run.of_kind("unknown-id"),
        what="request with an unknown id",
    )


@check(
    id="NF-ERR-100",
    title="Errors to generated requests carry a message",
    requirements=["REQ-ERR-SHAPE", "REQ-ERR-STATUS-MATCH"],
    level=Level.SHOULD,
)
def generated_errors_have_message(ctx: CheckContext) -> None:
    """Both official clients read error.message; error.status differing from the HTTP status
    only warns."""
    run = property_run(ctx)
    judged = [sent for sent in _responses(run) if 400 <= (sent.exchange.status or 0) < 500]
    conclude(
        ctx,
        "NF-ERR-100",
        run,
        judge.error_bodies(run),
        expected='{"error": {"message": <non-empty>, ...}} on every 4xx',
        judged=judged,
        what="4xx response",
    )
