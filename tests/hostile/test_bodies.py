"""Targets that answer with bodies a JSON client cannot use: each ends as a readable Exchange."""

from __future__ import annotations

import pytest

from conformance.target import open_client
from tests.hostile.servers import Conn, Loopback, head, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"
HUGE = 50_000_000


def html(conn: Conn) -> None:
    conn.respond(502, "<html><body><h1>Bad Gateway</h1></body></html>", content_type="text/html")


def truncated_json(conn: Conn) -> None:
    conn.respond(200, '{"data": {"containers": [{"name": "nightly-1", "crea')


def connection_cut(conn: Conn) -> None:
    body = b'{"data": {"containers": [{"name": "nightly-1"'
    conn.send(head(200, length=len(body) + 500) + body)  # promises more than it sends


def not_utf8(conn: Conn) -> None:
    conn.respond(200, b"\xff\xfe{\x00}\x00")


def huge(conn: Conn) -> None:
    conn.send(head(200, length=HUGE) + b'{"data": {"containers": [')
    chunk = b'{"name": "x", "createdAt": 1, "updatedAt": 1, "status": "TASK_RUNNING"},' * 1000
    sent = 0
    while sent < HUGE and not conn.server.stopping.is_set():
        conn.send(chunk)
        sent += len(chunk)


def test_html_is_kept_as_text_with_a_json_error_not_an_error() -> None:
    with Loopback(html) as server, open_client(live_settings(server.url, max_retries=0)) as client:
        exchange = client.get(PATH)
    assert exchange.status == 502
    assert exchange.json is None
    assert exchange.error is None, "an HTML body is a response; the checks judge it"
    assert exchange.json_error is not None
    assert exchange.json_error.startswith("not JSON (text/html): Expecting value")
    assert b"Bad Gateway" in exchange.body
    response = exchange.excerpt()["response"]
    assert response is not None
    assert response["json_error"] == exchange.json_error


def test_truncated_json_parses_to_none_with_the_reason() -> None:
    with Loopback(truncated_json) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH)
    assert exchange.status == 200
    assert exchange.json is None
    assert exchange.error is None
    assert exchange.json_error is not None
    assert "Unterminated string" in exchange.json_error


def test_a_connection_cut_mid_body_is_an_error_with_the_partial_body() -> None:
    with Loopback(connection_cut) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH)
    assert exchange.status == 200
    assert exchange.error is not None
    assert exchange.error.startswith("connection lost while reading the body")
    assert exchange.json is None
    assert exchange.body.startswith(b'{"data"')
    assert len(server.requests) == 1, "a response that started is not retried"


def test_a_body_that_is_not_utf8_is_kept_byte_for_byte() -> None:
    with Loopback(not_utf8) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH)
    assert exchange.body == b"\xff\xfe{\x00}\x00"
    assert exchange.json is None
    assert exchange.json_error is not None
    assert exchange.json_error.startswith("not JSON (application/json): body is not UTF-8")


@pytest.mark.slow
def test_a_huge_body_is_capped_without_being_read_whole() -> None:
    with Loopback(huge) as server, open_client(live_settings(server.url, timeout_s=10.0)) as client:
        exchange = client.get(PATH)
    cap = client.settings.max_body_bytes
    assert cap == 10_000_000
    assert exchange.status == 200
    assert exchange.truncated
    assert exchange.error == f"response body exceeded {cap} bytes"
    assert len(exchange.body) == cap
    assert exchange.json is None
    assert server.bytes_sent < HUGE // 2, "the client stopped reading at the cap"
    assert client.stats["bodies_capped"] == 1
