"""Redirects are reported, never followed; the token never leaves the target's origin."""

from __future__ import annotations

import pytest

from conformance.target import REDACTED, UnsafeRequest, open_client
from tests.hostile.servers import TOKEN, Conn, Loopback, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"


def ok(conn: Conn) -> None:
    conn.respond(200, '{"data": {"containers": [], "runId": "r1"}}')


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_origin_is_not_followed(status: int) -> None:
    with Loopback(ok) as elsewhere:

        def redirect(conn: Conn) -> None:
            conn.respond(status, "", [("Location", f"{elsewhere.url}/steal?token={TOKEN}")])

        with Loopback(redirect) as server, open_client(live_settings(server.url)) as client:
            exchange = client.get(PATH)
    assert elsewhere.requests == [], "the other origin never hears from the client"
    assert exchange.status == status
    # The exchange says what came; what leaves the process is redacted (tests/test_secrets.py).
    assert exchange.error == (
        f"redirect not followed: {status} to '{elsewhere.url}/steal?token={TOKEN}'"
    )
    assert exchange.response_headers["location"].endswith(f"token={TOKEN}")
    shown = client.redact_value(exchange.excerpt())["error"]
    assert shown == f"redirect not followed: {status} to '{elsewhere.url}/steal?token={REDACTED}'"
    assert client.stats["redirects"] == 1
    assert len(server.requests) == 1


def test_a_same_origin_redirect_is_not_followed_either() -> None:
    def redirect(conn: Conn) -> None:
        conn.respond(302, "", [("Location", "/v2/elsewhere")])

    with Loopback(redirect) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH)
    assert exchange.error == "redirect not followed: 302 to '/v2/elsewhere'"
    assert [request.target for request in server.requests] == [PATH]


@pytest.mark.parametrize(
    "path",
    ["{other}/v1/projects", "//127.0.0.1:{port}/v1/projects", "v1/projects", ""],
    ids=["absolute", "scheme-relative", "relative", "empty"],
)
def test_paths_that_could_leave_the_origin_are_refused_before_sending(path: str) -> None:
    with Loopback(ok) as elsewhere, Loopback(ok) as server:
        port = elsewhere.url.rsplit(":", 1)[1]
        with (
            open_client(live_settings(server.url)) as client,
            pytest.raises(UnsafeRequest, match="is not a path on the target"),
        ):
            client.get(path.format(other=elsewhere.url, port=port))
    assert elsewhere.requests == []
    assert server.requests == []
    assert client.requests_sent == 0


@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "post"])
def test_only_get_is_ever_sent_to_a_live_target(method: str) -> None:
    with Loopback(ok) as server, open_client(live_settings(server.url)) as client:
        with pytest.raises(UnsafeRequest, match="is never sent to a live target"):
            client.request(method, PATH)
        assert client.get(PATH).status == 200
    assert [request.method for request in server.requests] == ["GET"]
