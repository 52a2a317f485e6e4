"""Record one request against a real server, then replay it offline: the helpers tests share."""

from __future__ import annotations

from typing import Any

from conformance.har import HarRecorder, problems
from conformance.har.replaying import REPLAY_RESTRICTED_TOKEN, REPLAY_TOKEN
from conformance.target import Credential, Exchange, ReplayTransport, open_client
from tests.hostile.servers import Handler, Loopback, Sleeps, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"


def record(
    handler: Handler,
    *,
    params: dict[str, Any] | None = None,
    credential: Credential = Credential.PRIMARY,
    repeat: int = 1,
    **overrides: Any,
) -> tuple[Exchange, list[dict[str, Any]], list[str]]:
    """The (last) live exchange, the HAR entries recorded, and the client's secrets."""
    recorder = HarRecorder("unused.har")
    with (
        Loopback(handler) as server,
        open_client(live_settings(server.url, **overrides), sleep=Sleeps()) as client,
    ):
        recorder.attach(client)
        for _ in range(repeat):
            exchange = client.get(PATH, params, credential=credential)
        secrets = list(client.secrets)
    creator = {"name": "t", "version": "0"}
    document = {"log": {"version": "1.2", "creator": creator, "entries": recorder.entries}}
    assert problems(document) == [], "every HAR a test writes is valid HAR 1.2"
    return exchange, recorder.entries, secrets


def replay(
    entries: list[dict[str, Any]],
    *,
    params: dict[str, Any] | None = None,
    credential: Credential = Credential.PRIMARY,
    repeat: int = 1,
    **overrides: Any,
) -> tuple[list[Exchange], ReplayTransport]:
    """The same request answered from ``entries`` (``repeat`` times), with placeholder tokens."""
    transport = ReplayTransport(
        entries, token=REPLAY_TOKEN, restricted_token=REPLAY_RESTRICTED_TOKEN
    )
    settings = live_settings(
        "http://127.0.0.1:9",
        token=REPLAY_TOKEN,
        restricted_token=REPLAY_RESTRICTED_TOKEN,
        **overrides,
    )
    with open_client(settings, replay=transport, sleep=Sleeps()) as client:
        exchanges = [client.get(PATH, params, credential=credential) for _ in range(repeat)]
    return exchanges, transport
