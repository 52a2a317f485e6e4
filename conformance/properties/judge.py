"""schemathesis's verdicts on the property run, held against the documentation.

Each function applies one schemathesis check (built-in or ours, from invariants.py) to the
responses it fits and returns :class:`Mismatch`s. Built-ins known for false positives are
filtered here: a failure the documentation allows is dropped, one it leaves open is advisory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup

from conformance.properties import invariants
from conformance.properties.invariants import as_int
from conformance.spec import MAX_PER_PAGE

if TYPE_CHECKING:
    from conformance.properties.generate import Sent
    from conformance.properties.run import PropertyRun

SchemathesisCheck = Callable[..., Any]


@dataclass(frozen=True)
class Mismatch:
    """One thing a check found in one exchange."""

    sent: Sent
    source: str  # the schemathesis check (or "transport")
    title: str
    message: str
    advisory: bool = False


def failures(sent: Sent, check: SchemathesisCheck) -> list[Failure]:
    """What ``check`` finds in ``sent``'s response (nothing when no response arrived)."""
    if sent.response is None:
        return []
    try:
        sent.case.validate_response(sent.response, checks=[check])
    except FailureGroup as group:
        return list(group.exceptions)
    return []


def _judge(
    sents: Iterable[Sent], check: SchemathesisCheck, *, skip_5xx: bool = True
) -> list[Mismatch]:
    found = []
    for sent in sents:
        if sent.exchange.error is not None or sent.response is None:
            continue  # no usable response: NF-HTTP-100 reports it
        if skip_5xx and sent.response.status_code >= 500:
            continue  # NF-HTTP-100 reports it
        for failure in failures(sent, check):
            name = getattr(check, "__name__", "check")
            message = failure.message
            found.append(Mismatch(sent, name, failure.title, message))
    return found


def server_errors(run: PropertyRun) -> list[Mismatch]:
    """No 5xx, and an answer to every request (no timeout, redirect or cut-off body). A 429 that
    retries did not resolve is advisory: rate limiting says nothing about the request."""
    found = []
    for sent in run.sent:
        if sent.exchange.error is not None:
            limited = sent.exchange.status == 429
            title = "Still rate limited" if limited else "No usable response"
            found.append(Mismatch(sent, "transport", title, sent.exchange.error, limited))
    return found + _judge(run.sent, not_a_server_error, skip_5xx=False)


def undocumented_statuses(run: PropertyRun) -> list[Mismatch]:
    """Statuses the fragment does not list. An undocumented 4xx (e.g. 422) is advisory: which
    client error to use is the server's choice; anything else is a failure."""
    found = _judge(run.sent, status_code_conformance)
    return [Mismatch(f.sent, f.source, f.title, f.message, advisory=_is_4xx(f.sent)) for f in found]


def _is_4xx(sent: Sent) -> bool:
    return sent.response is not None and 400 <= sent.response.status_code < 500


def invalid_values(query: dict[str, str]) -> list[tuple[str, str]]:
    """(parameter, why) for each per_page or page value the fragment does not allow."""
    problems: list[tuple[str, str]] = []
    for name in ("per_page", "page"):
        if name not in query:
            continue
        number = as_int(query[name])
        if query[name] == "":
            problems.append((name, "empty"))
        elif number is None:
            problems.append((name, "not an integer"))
        elif number < 1:
            problems.append((name, "below 1"))
        elif name == "per_page" and number > MAX_PER_PAGE:
            problems.append((name, "above 100"))
    return problems


def accepted_invalid_values(run: PropertyRun) -> list[Mismatch]:
    """negative_data_rejection, held against the documentation: every finding is advisory.

    How a server reads an invalid per_page or page (a 4xx, a clamp, the default page size, the
    first page) is not documented; rejecting is a SHOULD. What stays MUST about such answers is
    judged elsewhere: no 5xx (NF-HTTP-100), at most 100 items (NF-PAG-003), the documented
    shape (NF-SCH-001) and the requested run (NF-RUN-100).
    """
    judged = []
    for finding in _judge(run.of_kind("coverage", "fuzz"), negative_data_rejection):
        problems = invalid_values(finding.sent.exchange.params)
        if not problems:
            continue
        advisory = True
        shown = ", ".join(f"{name} {why}" for name, why in problems)
        message = f"{finding.message}\nInvalid on the wire: {shown}"
        judged.append(Mismatch(finding.sent, finding.source, finding.title, message, advisory))
    return judged


def rejected_valid_values(run: PropertyRun, known_run_ids: set[str]) -> list[Mismatch]:
    """positive_data_acceptance, held against the documentation.

    A schema-valid request may still get a client error (400, 404, 422...; not 401 or 403, the
    token is valid) when it names something the server does not know: an opaque cursor it did
    not issue, a run that does not exist, a page past the end.
    """
    judged = []
    for finding in _judge(run.of_kind("coverage", "fuzz"), positive_data_acceptance):
        response = finding.sent.response
        status = response.status_code if response is not None else None
        query = finding.sent.exchange.params
        names_unknown = (
            "cursor" in query
            or ("runId" in query and query["runId"] not in known_run_ids)
            or (as_int(query.get("page")) or 1) > 1
        )
        refused = status is not None and 400 <= status < 500 and status not in (401, 403)
        if status == 429 or (refused and names_unknown):
            continue
        judged.append(finding)
    return judged


def run_id_mismatches(run: PropertyRun) -> list[Mismatch]:
    return _judge(run.sent, invariants.run_id_matches_filter)


def unknown_ids_found(run: PropertyRun) -> list[Mismatch]:
    """An unknown project, job or team must not be listed: a 2xx (or 3xx) fails. Another 4xx
    than 404 is advisory: 404 is the convention (REQ-HTTP-404 is SHOULD), and RFC 9110 lets a
    server answer 403 for a resource it will not disclose."""
    found = []
    for sent in run.of_kind("unknown-id"):
        status = sent.exchange.status
        if sent.exchange.error is not None or status is None or status >= 500 or status == 404:
            continue
        advisory = 400 <= status < 500
        found.append(Mismatch(sent, "unknown_id_not_found", "Not answered 404", "", advisory))
    return found
