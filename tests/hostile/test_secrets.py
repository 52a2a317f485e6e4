"""A target that echoes the Authorization header back everywhere it can: no token gets through."""

from __future__ import annotations

import json
import logging

import pytest

from conformance.target import (
    Credential,
    Exchange,
    TargetClient,
    TargetUnreachable,
    open_client,
)
from tests.hostile.servers import RESTRICTED, TOKEN, Conn, Loopback, Sleeps, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in text)


def echo(conn: Conn) -> None:
    """Echo the header into headers, the body (plain and JSON-escaped) and a redirect."""
    authorization = conn.request.headers.get("authorization", "")
    token = authorization.removeprefix("Bearer ")
    body = json.dumps({"you_sent": authorization, "token": token})[:-1]
    body += f', "escaped": "{_escaped(token)}", "{token}": "as a key"}}'
    status = 302 if "redirect" in conn.request.target else 401
    headers = [
        ("X-Echo", authorization),
        (f"X-{token}", "as a header name"),
        ("Location", f"/login?token={token}"),
        ("WWW-Authenticate", f'Bearer error="invalid_token", token="{token}"'),
    ]
    conn.respond(status, body, headers)


def shown(client: TargetClient, exchange: Exchange, limit: int = 100_000) -> str:
    """What a report would show of ``exchange``: its evidence, redacted at the edge."""
    return json.dumps(client.redact_value(exchange.excerpt(limit=limit)), ensure_ascii=False)


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


@pytest.mark.parametrize(
    "credential", [Credential.PRIMARY, Credential.RESTRICTED, Credential.UNKNOWN]
)
@pytest.mark.parametrize("redirect", [False, True], ids=["401", "302"])
def test_an_echoing_target_leaks_no_token_out_of_the_process(
    credential: Credential, redirect: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    params = {"redirect": "1"} if redirect else None
    with Loopback(echo) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH, params, credential=credential)
        # Proof that the echo works: the server did receive the token it echoed.
        sent = server.requests[0].headers["authorization"]
        assert sent.startswith("Bearer nf-")
        secrets = client.secrets
        # A library logging the header verbatim would leak it; log records are redacted.
        logging.getLogger("httpcore.http11").debug("header %s", sent)
        assert len(secrets) == 3
        evidence = shown(client, exchange)
        error = client.redact(exchange.error or "")
    # The exchange is what the target sent (checks judge that); redaction is at the edge.
    token = sent.removeprefix("Bearer ")
    assert exchange.json is not None
    assert exchange.json["token"] == token
    assert exchange.json["escaped"] == token, "escaped tokens are found after parsing"
    assert exchange.request_headers["authorization"] == sent
    assert leaks(evidence, secrets) == []
    assert "[REDACTED]" in evidence
    assert [secret for secret in secrets if secret in caplog.text] == []
    assert "header Bearer [REDACTED]" in caplog.text
    assert any(record.name.startswith("httpx") for record in caplog.records), "httpx did log"
    if redirect:
        assert error.startswith("redirect not followed: 302 to '/login?token=[REDACTED]'")


def test_a_token_in_the_query_is_sent_verbatim_and_redacted_from_the_evidence() -> None:
    with Loopback(echo) as server, open_client(live_settings(server.url)) as client:
        exchange = client.get(PATH, {"cursor": TOKEN, RESTRICTED: "x"})
        evidence = shown(client, exchange)
    assert server.requests[0].target == f"{PATH}?cursor={TOKEN}&{RESTRICTED}=x"
    assert exchange.url == f"{PATH}?cursor={TOKEN}&{RESTRICTED}=x"
    assert f"{PATH}?cursor=[REDACTED]&[REDACTED]=x" in evidence
    assert leaks(evidence, [TOKEN, RESTRICTED]) == []


@pytest.mark.parametrize("limit", [100_000, 95])
def test_a_body_cut_in_the_middle_of_a_token_hides_the_cut_token(limit: int) -> None:
    """At the body cap (the exchange keeps what came) or at the evidence limit."""

    def padded(conn: Conn) -> None:
        conn.respond(200, "x" * 90 + TOKEN)

    with (
        Loopback(padded) as server,
        open_client(live_settings(server.url, max_body_bytes=100)) as client,
    ):
        exchange = client.get(PATH)
        evidence = shown(client, exchange, limit=limit)
    assert exchange.truncated
    assert exchange.body == (b"x" * 90 + TOKEN.encode())[:100]
    assert TOKEN[:5] not in evidence
    assert "[REDACTED]…" in evidence


def test_exception_messages_carry_no_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = live_settings(f"http://{TOKEN}.invalid")  # 3 attempts, then TargetUnreachable
    with open_client(settings, sleep=Sleeps()) as client, pytest.raises(TargetUnreachable) as error:
        client.get(PATH)
    assert TOKEN not in str(error.value)
    assert TOKEN.lower() not in str(error.value).lower()
    assert TOKEN not in caplog.text
