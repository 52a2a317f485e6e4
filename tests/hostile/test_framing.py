"""Answers that break HTTP or JSON framing: each ends as one Exchange with a one-line reason."""

from __future__ import annotations

import json
import socket
import struct
import tracemalloc
from typing import Any

import pytest

from conformance.target import Exchange, open_client
from tests.hostile.servers import Conn, Handler, Loopback, Sleeps, head, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"
LISTING = '{"data": {"containers": [], "runId": "r1"}, "pagination": {"hasNextPage": false}}'


def raw(data: bytes) -> Handler:
    def handler(conn: Conn) -> None:
        conn.send(data)

    return handler


def _get(handler: Handler) -> tuple[Exchange, Loopback]:
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url), sleep=Sleeps()) as client,
    ):
        exchange = client.get(PATH)
    return exchange, server


def _one_line(text: str | None) -> str:
    assert text is not None
    assert "\n" not in text
    assert "Traceback" not in text
    return text


MALFORMED_HEADS = {
    "status-not-a-number": b"HTTP/1.1 abc Oops\r\nContent-Length: 2\r\n\r\n{}",
    "not-http-at-all": b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
    "header-without-colon": b"HTTP/1.1 200 OK\r\nthis is no header\r\nContent-Length: 2\r\n\r\n{}",
    "nul-in-header": b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 2\r\n\r\n{}",
    "two-content-lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}",
    "oversized-header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n{}",
    "endless-headers": b"HTTP/1.1 200 OK\r\n" + b"X-Many: header\r\n" * 50_000 + b"\r\n{}",
}


@pytest.mark.parametrize("data", list(MALFORMED_HEADS.values()), ids=list(MALFORMED_HEADS))
def test_a_malformed_response_head_is_a_judged_failure_not_retried(data: bytes) -> None:
    tracemalloc.start()
    try:
        exchange, server = _get(raw(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exchange.status is None
    assert _one_line(exchange.error).startswith("malformed response head: ")
    assert exchange.json is None
    assert exchange.attempts == 1, "the same request would get the same bytes again"
    assert len(server.requests) == 1
    assert peak < 2_000_000, "a huge head is refused, not read whole"


def chunked(*parts: bytes) -> Handler:
    def handler(conn: Conn) -> None:
        conn.send(head(200, [("Transfer-Encoding", "chunked")]))
        for part in parts:
            conn.send(part)

    return handler


BROKEN_BODIES = {
    "chunk-size-not-hex": chunked(b"zz\r\n{}\r\n0\r\n\r\n"),
    "chunk-longer-than-said": chunked(b"2\r\n{}}}}}\r\n0\r\n\r\n"),
    "chunked-never-ends": chunked(b"2\r\n{}\r\n"),  # closes without the last chunk
    "content-length-too-long": raw(head(200, length=500) + LISTING.encode()),
}


@pytest.mark.parametrize("handler", list(BROKEN_BODIES.values()), ids=list(BROKEN_BODIES))
def test_a_body_that_breaks_its_framing_is_a_judged_failure(handler: Handler) -> None:
    exchange, server = _get(handler)
    assert exchange.status == 200
    assert _one_line(exchange.error).startswith("connection lost while reading the body: ")
    assert exchange.json is None
    assert len(server.requests) == 1, "a response that started is not retried"


def reset_mid_body(conn: Conn) -> None:
    conn.send(head(200, length=len(LISTING)) + LISTING[:20].encode())
    # SO_LINGER 0: close sends a TCP reset rather than an orderly end.
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.sock.close()


def test_a_reset_mid_body_is_a_judged_failure_with_the_partial_body() -> None:
    exchange, _ = _get(reset_mid_body)
    assert exchange.status == 200
    assert _one_line(exchange.error).startswith("connection lost while reading the body")
    assert exchange.body == LISTING[:20].encode()
    assert exchange.json is None


def test_a_content_length_shorter_than_the_body_cuts_the_json() -> None:
    exchange, _ = _get(raw(head(200, length=30) + LISTING.encode()))
    assert exchange.status == 200
    assert exchange.body == LISTING[:30].encode()
    assert exchange.json is None
    assert _one_line(exchange.json_error).startswith("not JSON (application/json): ")


BAD_JSON = {
    "invalid-utf8-in-a-string": (
        b'{"data": {"containers": [{"name": "nightly-\xc3\x28"}]}}',
        "not JSON (application/json): body is not UTF-8 text",
    ),
    "lone-surrogate-escape": (
        b'{"data": {"containers": [{"name": "nightly-\\udc80"}]}, "pagination": {}}',
        "JSON not used: a string holds an unpaired surrogate ('\\udc80')",
    ),
    "nested-past-the-parser": (b"[" * 50_000 + b"]" * 50_000, "JSON not read: RecursionError"),
    "too-many-values": (
        b'{"data": {"containers": [' + b"{}," * 200_000 + b"{}]}}",
        "JSON not parsed: about 400005 values, more than the 100000",
    ),
    "nested-deep": (b'{"a": ' * 500 + b"1" + b"}" * 500, ""),
    "nested-past-the-limit": (b"[" * 65 + b"]" * 65, "JSON not used: nested deeper than 64"),
    "utf16": (LISTING.encode("utf-16"), "not JSON (application/json): body is not UTF-8 text"),
}


@pytest.mark.parametrize(("body", "says"), list(BAD_JSON.values()), ids=list(BAD_JSON))
def test_json_no_reader_can_use_is_a_json_error_never_an_exception(body: bytes, says: str) -> None:
    def handler(conn: Conn) -> None:
        conn.respond(200, body)

    exchange, _ = _get(handler)
    assert exchange.status == 200
    assert exchange.json is None
    assert _one_line(exchange.json_error).startswith(says)
    json.dumps(exchange.excerpt())  # evidence stays printable
    response: Any = exchange.excerpt().get("response") or {}
    str(response.get("body")).encode("utf-8")


def test_json_nested_within_the_limit_is_kept() -> None:
    nested = "[" * 60 + "]" * 60

    def handler(conn: Conn) -> None:
        conn.respond(200, nested)

    exchange, _ = _get(handler)
    assert exchange.json_error is None
    assert exchange.json is not None


def test_latin1_bytes_in_a_header_value_are_kept_readable() -> None:
    exchange, _ = _get(
        raw(head(200, [("X-Name", "caf\xe9")], length=len(LISTING)) + LISTING.encode())
    )
    assert exchange.error is None
    assert exchange.json is not None
    assert exchange.response_headers["x-name"] == "caf\xe9"
