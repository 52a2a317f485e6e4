"""The replay transport: a request recorded against a real server on 127.0.0.1 and answered
again offline ends as the same Exchange, whatever went wrong on the wire; unmatched requests
are NotInRecording (a BudgetExhausted: the check is skipped, never passed or failed)."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
import pytest
import zstandard

from conformance.target import (
    BudgetExhausted,
    Credential,
    Exchange,
    NotInRecording,
)
from conformance.target._transports.replay import credential_of
from tests.har.roundtrip import record, replay
from tests.hostile.servers import Conn, Handler, head
from tests.hostile.test_bodies import connection_cut, html, not_utf8, truncated_json
from tests.hostile.test_retries import fails_then_ok
from tests.hostile.test_slow import drip_body, hang

OK = '{"data": {"containers": [], "runId": "r1"}, "pagination": {"hasNextPage": false}}'


def close_at_once(conn: Conn) -> None:
    conn.sock.close()


def padded(conn: Conn) -> None:
    conn.respond(200, '{"data": "' + "x" * 400 + '"}')


def redirect(conn: Conn) -> None:
    conn.respond(302, "", [("Location", "/elsewhere")])


def gzipped(conn: Conn) -> None:
    body = gzip.compress(OK.encode())
    conn.send(head(200, [("Content-Encoding", "gzip")], length=len(body)) + body)


def gzipped_over_the_cap(conn: Conn) -> None:
    body = gzip.compress(b'{"data": "' + b"x" * 4000 + b'"}')
    conn.send(head(200, [("Content-Encoding", "gzip")], length=len(body)) + body)


def stacked(encoding: str, body: bytes) -> Handler:
    def handler(conn: Conn) -> None:
        conn.send(head(200, [("Content-Encoding", encoding)], length=len(body)) + body)

    return handler


def broken_gzip(conn: Conn) -> None:
    body = b"\x1f\x8b\x08\x00not gzip at all"
    conn.send(head(200, [("Content-Encoding", "gzip")], length=len(body)) + body)


CASES: dict[str, tuple[Handler, dict[str, Any]]] = {
    "html-502": (html, {"max_retries": 0}),
    "truncated-json": (truncated_json, {}),
    "connection-cut-mid-body": (connection_cut, {}),
    "not-utf8": (not_utf8, {}),
    "503-twice-then-200": (fails_then_ok(503, 2, []), {}),
    "429-then-200": (fails_then_ok(429, 1, [("Retry-After", "1")]), {}),
    "closes-without-answering": (close_at_once, {"max_retries": 1}),  # 3 in a row: unreachable
    "hangs": (hang, {"timeout_s": 0.5}),
    "drips-the-body": (drip_body, {"timeout_s": 0.5}),
    "over-the-cap": (padded, {"max_body_bytes": 100}),
    "redirect": (redirect, {}),
    "gzip": (gzipped, {}),
    "broken-gzip": (broken_gzip, {}),
    "gzip-over-the-cap": (gzipped_over_the_cap, {"max_body_bytes": 1000}),
    "br": (stacked("br", brotli.compress(OK.encode())), {}),
    "zstd": (stacked("zstd", zstandard.compress(OK.encode())), {}),
    "br-of-gzip": (stacked("gzip, br", brotli.compress(gzip.compress(OK.encode()))), {}),
    "broken-zstd": (stacked("zstd", b"(\xb5/\xfd not zstd"), {}),
}


def _seen(exchange: Exchange) -> dict[str, Any]:
    return {
        "status": exchange.status,
        "error": exchange.error,
        "json": exchange.json,
        "json_error": exchange.json_error,
        "truncated": exchange.truncated,
        "attempts": exchange.attempts,
        "retried_statuses": exchange.retried_statuses,
        "retried_errors": len(exchange.retried_errors),
        "body": exchange.body,
        "headers": {k: v for k, v in exchange.response_headers.items() if k != "content-length"},
    }


@pytest.mark.parametrize("case", list(CASES))
def test_a_replayed_request_ends_as_the_recorded_exchange(case: str) -> None:
    handler, overrides = CASES[case]
    live, entries, _ = record(handler, **overrides)
    assert len(entries) == live.attempts, "every attempt is an entry, retries included"
    (replayed,), transport = replay(entries, **overrides)
    assert _seen(replayed) == _seen(live)
    assert transport.served == list(range(len(entries)))
    assert transport.unanswered == 0


def test_repeats_are_answered_in_recorded_order_then_not_in_the_recording() -> None:
    def counts(conn: Conn) -> None:
        conn.respond(200, f'{{"n": {conn.index}}}')

    last, recorded, _ = record(counts, repeat=2)
    assert last.json == {"n": 1}
    (one, two), _ = replay(recorded, repeat=2)
    assert (one.json, two.json) == ({"n": 0}, {"n": 1})
    with pytest.raises(NotInRecording) as missing:
        replay(recorded, repeat=3)
    assert isinstance(missing.value, BudgetExhausted)
    assert "not in the recording: GET /v1/projects/demo/jobs/nightly/containers" in str(
        missing.value
    )


def test_requests_match_on_query_and_credential_kind_not_on_the_token() -> None:
    def echo_auth(conn: Conn) -> None:
        kind = "none" if "authorization" not in conn.request.headers else "some"
        conn.respond(200 if kind == "some" else 401, f'{{"auth": "{kind}"}}')

    _, with_token, _ = record(echo_auth, params={"per_page": "2", "page": "1"})
    _, without, _ = record(
        echo_auth, params={"per_page": "2", "page": "1"}, credential=Credential.NONE
    )
    entries = [*with_token, *without]
    (anonymous,), _ = replay(
        entries, params={"page": "1", "per_page": "2"}, credential=Credential.NONE
    )
    assert anonymous.status == 401
    (primary,), _ = replay(entries, params={"page": "1", "per_page": "2"})
    assert primary.status == 200
    for other in ({"per_page": "3", "page": "1"}, {"per_page": "2"}):
        with pytest.raises(NotInRecording):
            replay(entries, params=other)
    with pytest.raises(NotInRecording, match=r"\(restricted\)"):
        replay(entries, params={"per_page": "2", "page": "1"}, credential=Credential.RESTRICTED)


def test_the_credential_kind_is_read_from_the_placeholder_tokens() -> None:
    assert credential_of(None, "p", "r") == "none"
    assert credential_of("Bearer p", "p", "r") == "primary"
    assert credential_of("Bearer r", "p", "r") == "restricted"
    assert credential_of("p", "p", "r") == "no-scheme"
    assert credential_of("Bearer", "p", "r") == "malformed"
    assert credential_of("Bearer nf-unknown-123", "p", "r") == "unknown"
    assert credential_of("Bearer r", "p", None) == "unknown"
