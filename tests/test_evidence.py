"""Typed evidence: what a check passes with its outcome is what report.json's schema allows."""

from __future__ import annotations

import jsonschema
import pytest

from conformance.catalog import Advisory, Violation
from conformance.evidence import Evidence, as_list
from conformance.report.jsonfile import schema
from conformance.target import Credential, Exchange

EXCHANGE = Exchange(
    method="GET",
    path="/v1/projects/p/jobs/j/containers",
    params={"per_page": "2"},
    credential=Credential.PRIMARY,
    request_headers={},
    status=502,
    response_headers={"content-type": "text/html"},
    body=b"<h1>Bad Gateway</h1>",
    json=None,
    json_error="not JSON (text/html)",
    attempts=3,
    retried_statuses=(502, 502),
)


def _evidence_schema() -> dict[str, object]:
    whole = schema()
    return {"$schema": whole["$schema"], "$defs": whole["$defs"], "$ref": "#/$defs/evidence"}


@pytest.mark.parametrize(
    "item",
    [EXCHANGE.excerpt(), {"note": "a note alone"}, {**EXCHANGE.excerpt(), "note": "why"}],
)
def test_an_excerpt_is_evidence_as_the_report_schema_has_it(item: Evidence) -> None:
    jsonschema.validate(item, _evidence_schema())


def test_a_key_the_schema_does_not_know_is_not_evidence() -> None:
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({**EXCHANGE.excerpt(), "headers": {}}, _evidence_schema())


def test_outcomes_hold_their_evidence_as_a_list() -> None:
    one = EXCHANGE.excerpt()
    assert Violation("x", "y", evidence=one).evidence == [one]
    assert Violation("x", "y", evidence=[one, one]).evidence == [one, one]
    assert Advisory("m").evidence == []
    assert as_list(None) == []
