"""The property checks (NF-<AREA>-100..199): schemathesis's verdicts on generated requests.

Every check reads the one memoised property run (run.py), so they share their requests; each
reports its own findings under its own ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Violation, check
from conformance.properties import judge
from conformance.properties.run import PropertyRun, property_run
from conformance.properties.verdict import conclude, evidence

if TYPE_CHECKING:
    from conformance.context import CheckContext
    from conformance.properties.generate import Sent
    from conformance.properties.links import LinkWalk


def _responses(run: PropertyRun) -> list[Sent]:
    return [sent for sent in run.sent if sent.response is not None]


@check("NF-HTTP-100")
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


@check("NF-HTTP-101")
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


@check("NF-PAG-100")
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


@check("NF-PAG-101")
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


def _walk_problem(walk: LinkWalk) -> tuple[str, Sent] | None:
    """Why a link walk breaks (an unreadable page, a loop, a repeated container) and where."""
    if walk.walk.outcome in ("error", "loop"):
        return walk.walk.problem, walk.steps[-1]
    if walk.walk.duplicate is not None:
        name, earlier, number = walk.walk.duplicate
        return f"page {number} repeats container {name!r} of page {earlier}", walk.steps[number - 1]
    return None


@check("NF-PAG-104")
def cursor_link_walk_reaches_last_page(ctx: CheckContext) -> None:
    """Tools follow the fragment's link from pagination.cursor to the cursor parameter; a walk
    that breaks, loops or repeats containers never ends or loses items."""
    run = property_run(ctx)
    for walk in run.walks:
        found = _walk_problem(walk)
        if found is not None:
            problem, step = found
            raise Violation(
                expected="a readable 200 page of new containers per step, to hasNextPage false",
                received=f"{walk.describe()}: {problem} (GET {step.exchange.url})",
                evidence=evidence(ctx, "NF-PAG-104", step, step.label),
            )
    if run.stopped is not None:
        raise NotRun(f"the property tests could not finish: {run.stopped}")
    if not run.walks or not run.walks[0].steps:
        share = run.options.max_requests
        raise NotRun(f"no walk was sent (the property share of requests is {share})")
    summary = "; ".join(f"{w.describe()}: {w.walk.outcome} after {len(w.steps)}" for w in run.walks)
    for walk in run.walks:
        if walk.walk.outcome == "no-cursor":
            raise Advisory(
                f"{walk.describe()}: {walk.walk.problem}; the link cannot be followed (the "
                "Python SDK falls back to page + 1, the JS client stops)",
                evidence=evidence(ctx, "NF-PAG-104", walk.steps[-1], walk.steps[-1].label),
            )
    if not any(walk.walk.complete for walk in run.walks):
        raise NotRun(f"no walk reached the last page within its requests ({summary})")
    if not any(len(walk.steps) > 1 for walk in run.walks):
        raise NotRun(
            f"the run fits on one page, so the link was never followed ({summary}); "
            "pass --run-id with a run of more containers"
        )


@check("NF-RUN-100")
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


@check("NF-PRM-100")
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
