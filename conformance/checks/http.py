"""HTTP: the route answers, with JSON, 404 for what does not exist, and only GET is served."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.catalog import Advisory, NotRun, Scope, Violation, check
from conformance.checks._common import fail_if_any, require_team, status_text, wrong_status
from conformance.target import Credential
from conformance.walker import Page

if TYPE_CHECKING:
    from conformance.context import CheckContext, Route
    from conformance.target import Exchange

OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE")
RATELIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@check("NF-HTTP-001")
def listing_answers_200(ctx: CheckContext) -> None:
    """Every other check builds on the documented request succeeding for a permitted token."""
    exchange = ctx.fetch()
    if exchange.status != 200:
        hint = ""
        if exchange.status in (401, 403):
            hint = " (is NORTHFLANK_API_TOKEN valid, with the job's View Instance Logs permission?)"
        raise Violation(
            expected="200 for GET with the primary token",
            received=f"{status_text(exchange)}{hint}",
            evidence=exchange.excerpt(),
        )


@check("NF-HTTP-010")
def every_success_is_200(ctx: CheckContext, page: Page) -> str | None:
    """Clients read a listing only from a 200; a 206 or 204 on some code path loses the page."""
    exchange = page.exchange
    if exchange.method != "GET" or exchange.status is None or not 200 <= exchange.status < 300:
        return None
    return "" if exchange.status == 200 else f"{exchange.status} for a listing"


@check("NF-HTTP-002")
def success_responses_are_json(ctx: CheckContext, page: Page) -> str | None:
    """The documented response is JSON; clients parse it without looking at anything else."""
    exchange = page.exchange
    if exchange.status is None or exchange.status >= 400:
        return None
    content_type = exchange.response_headers.get("content-type") or "no content-type"
    if not exchange.is_json:
        return f"content-type {content_type!r}"
    if exchange.json is None:
        return f"body is not JSON ({exchange.json_error})"
    return ""


@check("NF-HTTP-003")
def responses_complete_without_redirect(ctx: CheckContext, page: Page) -> str | None:
    """A redirect, a cut-off body or a lost connection leaves a client with no answer at all."""
    return page.exchange.error or ""


def _expect_not_found(exchange: Exchange, what: str) -> None:
    """MUST: no listing (nor a 5xx) for what does not exist; SHOULD: the refusal is a 404."""
    status = exchange.status
    if status == 404:
        return
    if status == 403:
        raise Advisory(
            f"403 for {what}: the target checks permission before existence; 404 is the HTTP "
            "convention for a resource that does not exist",
            evidence=exchange.excerpt(),
        )
    if status is not None and 400 <= status < 500:
        raise Advisory(
            f"{status} for {what}: refused, as it must be; 404 is the HTTP convention for a "
            "resource that does not exist",
            evidence=exchange.excerpt(),
        )
    raise wrong_status(exchange, expected=f"a refusal (404) for {what}")


@check("NF-HTTP-004")
def unknown_project_not_found(ctx: CheckContext) -> None:
    """A listing for a project that does not exist must not look like an empty job."""
    _expect_not_found_on_each_route(
        ctx, "an unknown projectId", project_id=ctx.unknown_id("project")
    )


def _expect_not_found_on_each_route(ctx: CheckContext, what: str, **ids: str) -> None:
    """_expect_not_found on the project route and, with a team id, the team route (each route
    may resolve ids on its own code path); a violation on either outranks an advisory."""
    routes: list[Route] = ["project", "team"] if ctx.settings.team_id else ["project"]
    advisory: Advisory | None = None
    for route in routes:
        exchange = ctx.fetch(path=ctx.containers_path(route, **ids))
        try:
            _expect_not_found(exchange, f"{what} on the {route} route")
        except Advisory as found:
            advisory = advisory or found
    if advisory is not None:
        raise advisory


@check("NF-HTTP-005")
def unknown_job_not_found(ctx: CheckContext) -> None:
    """A listing for a job that does not exist must not look like a job without containers."""
    _expect_not_found_on_each_route(ctx, "an unknown jobId", job_id=ctx.unknown_id("job"))
    job_id = ctx.settings.job_id
    if len(job_id) < 2:
        return
    prefix = Page.parse(ctx.fetch(path=ctx.containers_path(job_id=job_id[:-1])))
    if not prefix.readable:
        return  # 404, or a job of that name the token may not read: either is fine here
    mine = ctx.first_page()
    if mine.readable and (prefix.names, prefix.run_id) == (mine.names, mine.run_id):
        raise Violation(
            expected=f"404 for jobId {job_id[:-1]!r} (or that job's own containers)",
            received=f"the containers of job {job_id!r}: jobId matched by prefix",
            evidence=prefix.exchange.excerpt(),
        )


@check("NF-HTTP-006")
def unknown_team_not_found(ctx: CheckContext) -> None:
    """The official clients use the team route whenever a teamId is given; a typo must show."""
    require_team(ctx)
    path = ctx.containers_path("team", team_id=ctx.unknown_id("team"))
    _expect_not_found(ctx.fetch(path=path), "an unknown teamId")


@check("NF-HTTP-007")
def other_methods_not_allowed(ctx: CheckContext) -> None:
    """A read-only listing that accepts writes hides routing mistakes (mock only: never live)."""
    if not ctx.settings.is_mock:
        raise NotRun("only GET is ever sent to a live target; 405 is checked on the mock only")
    for method in OTHER_METHODS:
        exchange = ctx.client.request(method, ctx.containers_path())
        if exchange.status != 405:
            raise wrong_status(exchange, expected=f"405 for {method}")


@check("NF-HTTP-008")
def ratelimit_headers_present(ctx: CheckContext, page: Page) -> str | None:
    """Without them a client cannot pace itself inside the account's hourly quota."""
    exchange = page.exchange
    if exchange.status != 200 or exchange.credential is not Credential.PRIMARY:
        return None
    missing = [name for name in RATELIMIT_HEADERS if name not in exchange.response_headers]
    return f"no {', '.join(missing)}" if missing else ""


def _limited_in_disguise(ctx: CheckContext, exchange: Exchange) -> bool:
    """A refusal of the permitted token on the job's own route once the quota reads 0."""
    own = {ctx.containers_path()}
    if ctx.settings.team_id:
        own.add(ctx.containers_path("team"))
    return (
        exchange.status in (401, 403)
        and exchange.credential is Credential.PRIMARY
        and exchange.path in own
        and exchange.response_headers.get("x-ratelimit-remaining", "").strip() == "0"
    )


@check("NF-HTTP-009", scope=Scope.RESPONSES)
def rate_limiting_answers_429(ctx: CheckContext) -> None:
    """Clients back off on 429; a 401 or 403 instead reads as a broken token and is not retried."""
    errors = ctx.listing_errors()
    disguised = [
        (e, f"{e.status} once x-ratelimit-remaining is 0")
        for e in errors
        if _limited_in_disguise(ctx, e)
    ]
    fail_if_any(
        disguised, expected="429 when the rate limit is reached", out_of=ctx.received.listings
    )
    limited = [e for e in errors if e.status == 429]
    resolved = ctx.received.retried_429
    if not limited and not resolved:
        raise NotRun("the target rate-limited no request of this run")
    problems = [(e, "the body is not a JSON error") for e in limited if not _is_error_body(e)]
    fail_if_any(problems, expected='a JSON body {"error": {"message"}}', out_of=len(limited))
    without = [e for e in limited if "retry-after" not in e.response_headers]
    if without:
        raise Advisory(
            f"{len(without)} of {len(limited)} 429 responses carry no Retry-After header",
            evidence=without[0].excerpt(),
        )


def _is_error_body(exchange: Exchange) -> bool:
    body = exchange.json
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("message"), str)
