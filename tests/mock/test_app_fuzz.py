"""Hypothesis fuzz of raw requests: whatever the path, method, query bytes and headers, the clean
mock answers below 500, and every error is the Northflank error shape as application/json."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.mock.app import create_app
from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN, Fixture

FIXTURE = Fixture.default()
APP = create_app(FIXTURE)
FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
JOB = f"/v1/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}"
TEAM_JOB = f"/v1/teams/{FIXTURE.team_id}/projects/{FIXTURE.project_id}/jobs/{FIXTURE.job_id}"
KNOWN_PATHS = [f"{JOB}/containers", f"{TEAM_JOB}/containers", f"{JOB}/runs", f"{TEAM_JOB}/runs"]


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def call(
    loop: asyncio.AbstractEventLoop,
    method: str,
    path: str,
    query: bytes,
    headers: list[tuple[bytes, bytes]],
    app: Any = APP,
) -> tuple[int, dict[str, str], bytes]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": quote(path, safe="/").encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    loop.run_until_complete(app(scope, receive, send))
    start = sent[0]
    assert start["type"] == "http.response.start"
    head = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], head, body


def check_answer(status: int, headers: dict[str, str], body: bytes, method: str) -> None:
    assert 200 <= status < 500, (status, body[:300])
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert headers[name].isdigit()
    assert headers["content-type"] == "application/json"
    if method == "HEAD":
        assert body == b""
        return
    parsed = json.loads(body)
    if status >= 400:
        assert set(parsed) == {"error"}
        assert parsed["error"]["status"] == status
        assert isinstance(parsed["error"]["message"], str)
        assert isinstance(parsed["error"]["id"], str)
        assert MOCK_TOKEN not in body.decode("utf-8", "replace")
    else:
        assert set(parsed) == {"data", "pagination"}
        assert parsed["pagination"]["count"] <= 100


segment = st.text(st.characters(codec="utf-8", exclude_characters="/"), min_size=0, max_size=12)
paths = st.one_of(
    st.sampled_from(KNOWN_PATHS),
    st.builds(lambda parts: "/" + "/".join(parts), st.lists(segment, max_size=9)),
    st.builds(
        lambda base, extra: base + extra,
        st.sampled_from(KNOWN_PATHS),
        st.sampled_from(["/", "//", "/x", "%2F", "?", "#", ";a=b"]),
    ),
)
methods = st.one_of(
    st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=10),
)
names = st.sampled_from(["per_page", "page", "cursor", "runId", "x", "", "per_page[]", "PAGE"])
values = st.one_of(
    st.sampled_from(
        ["1", "0", "-1", "50", "100", "101", "1e3", "", "null", " 1", "0x10", "9" * 50]
    ),
    st.sampled_from(FIXTURE.run_ids),
    st.text(max_size=30),
    st.text(alphabet="0123456789abcdef", min_size=24, max_size=24),
)
pairs = st.lists(st.tuples(names, values), max_size=6)
structured = pairs.map(
    lambda items: "&".join(f"{quote(k)}={quote(v)}" for k, v in items).encode("utf-8")
)
query_strings = st.one_of(structured, st.binary(max_size=80), structured.map(lambda q: q + b"&%zz"))
auth_values = st.one_of(
    st.sampled_from(
        [
            f"Bearer {MOCK_TOKEN}".encode(),
            f"Bearer {MOCK_RESTRICTED_TOKEN}".encode(),
            f"bearer  {MOCK_TOKEN} ".encode(),
            b"Bearer",
            b"Bearer ",
            MOCK_TOKEN.encode(),
            b"",
        ]
    ),
    st.binary(max_size=40),
)
header_names = st.sampled_from(
    [b"authorization", b"accept", b"content-type", b"cookie", b"x-forwarded-for", b"host"]
)
headers = st.lists(st.tuples(header_names, st.binary(max_size=40)), max_size=4)


@FUZZ
@given(method=methods, path=paths, query=query_strings, auth=auth_values, extra=headers)
def test_no_request_gets_a_5xx_or_a_non_json_error(
    loop: asyncio.AbstractEventLoop,
    method: str,
    path: str,
    query: bytes,
    auth: bytes,
    extra: list[tuple[bytes, bytes]],
) -> None:
    status, head, body = call(loop, method, path, query, [(b"authorization", auth), *extra])
    check_answer(status, head, body, method)


@FUZZ
@given(query=query_strings, extra=headers)
def test_valid_token_on_the_real_route_never_gets_a_5xx(
    loop: asyncio.AbstractEventLoop, query: bytes, extra: list[tuple[bytes, bytes]]
) -> None:
    auth = (b"authorization", f"Bearer {MOCK_TOKEN}".encode())
    for path in KNOWN_PATHS[:2]:
        status, head, body = call(loop, "GET", path, query, [auth, *extra])
        check_answer(status, head, body, "GET")


def test_the_fuzz_reaches_successes_and_every_error_status(loop: asyncio.AbstractEventLoop) -> None:
    auth = [(b"authorization", f"Bearer {MOCK_TOKEN}".encode())]
    seen = {
        call(loop, "GET", KNOWN_PATHS[0], b"per_page=5", auth)[0],
        call(loop, "GET", KNOWN_PATHS[0], b"per_page=0", auth)[0],
        call(loop, "GET", KNOWN_PATHS[0], b"", [])[0],
        call(
            loop,
            "GET",
            KNOWN_PATHS[0],
            b"",
            [(b"authorization", b"Bearer " + MOCK_RESTRICTED_TOKEN.encode())],
        )[0],
        call(loop, "GET", "/nope", b"", auth)[0],
        call(loop, "BREW", KNOWN_PATHS[0], b"", auth)[0],
    }
    assert seen == {200, 400, 401, 403, 404, 405}


@pytest.mark.parametrize(
    ("fault", "query", "auth"),
    [
        ("server-error-on-bad-input", b"per_page=abc", True),
        ("html-error-pages", b"", False),
        ("error-leaks-data", b"", False),
        ("no-max-per-page", b"per_page=500&runId=" + FIXTURE.run_ids[1].encode(), True),
    ],
)
def test_the_same_judgement_catches_a_faulty_mock(
    loop: asyncio.AbstractEventLoop, fault: str, query: bytes, auth: bool
) -> None:
    headers = [(b"authorization", f"Bearer {MOCK_TOKEN}".encode())] if auth else []
    faulty = create_app(FIXTURE, [fault])
    check_answer(*call(loop, "GET", KNOWN_PATHS[0], query, headers), "GET")  # clean: fine
    with pytest.raises(AssertionError):
        check_answer(*call(loop, "GET", KNOWN_PATHS[0], query, headers, faulty), "GET")
