"""One attempt as one HAR entry: every field HAR 1.2 requires, redacted from RAW data (so it
holds whether or not the Exchange is), the credential's kind in ``_credential``, bodies that are
not UTF-8 in base64, capped bodies recorded as capped."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from conformance.har import problems
from conformance.target import Credential
from tests.har.roundtrip import record
from tests.hostile.servers import RESTRICTED, TOKEN, Conn
from tests.hostile.test_bodies import not_utf8
from tests.hostile.test_secrets import echo


def _document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "t", "version": "0"}, "entries": entries}}


@pytest.mark.parametrize("credential", list(Credential))
def test_an_echoing_target_leaves_no_token_in_the_entry_yet_the_credential_is_named(
    credential: Credential,
) -> None:
    query = {"cursor": TOKEN, "per_page": "2"}
    _, entries, secrets = record(echo, params=query, credential=credential)
    (entry,) = entries
    text = json.dumps(entry)
    assert [secret for secret in secrets if secret in text] == []
    assert TOKEN not in json.loads(entry["response"]["content"]["text"]).get("escaped", "")
    assert entry["_credential"] == credential.value
    authorization = [h for h in entry["request"]["headers"] if h["name"] == "Authorization"]
    if credential is Credential.NONE:
        assert authorization == []
    else:
        assert authorization == [{"name": "Authorization", "value": "[REDACTED]"}]
    assert {"name": "cursor", "value": "[REDACTED]"} in entry["request"]["queryString"]
    assert entry["response"]["status"] == 401
    assert problems(_document(entries)) == []


def test_a_body_that_is_not_utf8_is_kept_in_base64() -> None:
    _, (entry,), _ = record(not_utf8)
    content = entry["response"]["content"]
    assert content["encoding"] == "base64"
    assert base64.b64decode(content["text"]) == b"\xff\xfe{\x00}\x00"
    assert content["size"] == 6
    assert (
        "encoding" not in record(lambda conn: conn.respond(200, "{}"))[1][0]["response"]["content"]
    )


def test_a_body_over_the_cap_is_recorded_as_capped_with_its_size_not_in_full() -> None:
    body = '{"data": "' + "x" * 9000 + TOKEN + '"}'

    def big(conn: Conn) -> None:
        conn.respond(200, body)

    _, (entry,), _ = record(big, max_body_bytes=9005)
    assert entry["_capped"] == {"limit": 9005, "read": 9005, "declared": len(body)}
    content = entry["response"]["content"]
    assert content["size"] == 9005
    assert len(content["text"]) == 4096 < len(body)
    assert "capped" in content["comment"]
    assert TOKEN not in json.dumps(entry)
    assert problems(_document([entry])) == []


def test_an_attempt_without_a_response_is_status_0_with_the_error() -> None:
    def close_at_once(conn: Conn) -> None:
        conn.sock.close()

    _, entries, _ = record(close_at_once, max_retries=1)
    assert len(entries) == 2, "the retried attempt is an entry too"
    for entry in entries:
        assert entry["response"]["status"] == 0
        assert entry["response"]["statusText"] == ""
        assert entry["_errorKind"] == "RemoteProtocolError"
        assert entry["_error"].startswith("Server disconnected")
    assert problems(_document(entries)) == []


def test_every_attempt_of_a_retried_request_is_an_entry_in_order() -> None:
    def twice_503(conn: Conn) -> None:
        conn.respond(503 if conn.index < 2 else 200, "{}")

    live, entries, _ = record(twice_503)
    assert live.attempts == 3
    assert [e["response"]["status"] for e in entries] == [503, 503, 200]
    starts = [e["startedDateTime"] for e in entries]
    assert starts == sorted(starts)
    assert all(e["timings"]["wait"] == e["time"] >= 0 for e in entries)


def test_a_restricted_token_in_a_response_header_is_redacted() -> None:
    def leak(conn: Conn) -> None:
        conn.respond(403, "{}", [("X-Debug", f"token={RESTRICTED}")])

    _, (entry,), _ = record(leak, credential=Credential.RESTRICTED)
    assert {"name": "x-debug", "value": "token=[REDACTED]"} in entry["response"]["headers"]
    assert RESTRICTED not in json.dumps(entry)
