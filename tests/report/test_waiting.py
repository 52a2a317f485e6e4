"""While a request is outstanding, the terminal says what the run waits for, even when quiet."""

from __future__ import annotations

import io
import re
import time

import pytest
from rich.console import Console

from conformance.report import terminal
from conformance.report.terminal import Progress
from conformance.target import open_client
from tests.hostile.servers import TOKEN, Conn, Loopback, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"


def slow(conn: Conn) -> None:
    if not conn.wait(1.6):
        conn.respond(200, '{"data": {"containers": []}, "pagination": {"hasNextPage": false}}')


@pytest.mark.parametrize("quiet", [False, True], ids=["plain", "quiet"])
def test_a_slow_request_is_announced_every_few_seconds(
    monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    monkeypatch.setattr(terminal, "WAIT_NOTICE_S", 0.5)
    monkeypatch.setattr(terminal, "WAIT_REPEAT_S", 0.5)
    out = io.StringIO()
    console = Console(file=out, width=200, no_color=True)  # not a terminal, as in CI
    with (
        Loopback(slow) as server,
        open_client(live_settings(server.url, timeout_s=5)) as client,
        Progress(total=1, console=console, quiet=quiet) as progress,
    ):
        progress.watch(client.outstanding)
        client.get(PATH, {"per_page": 5})
        time.sleep(0.8)  # nothing outstanding now: no more lines
    lines = out.getvalue().splitlines()
    assert 2 <= len(lines) <= 4, lines
    for line in lines:
        assert re.fullmatch(r"waiting for GET \.\.\.containers\?per_page=5 \(\d+ s\)", line), line
    assert TOKEN not in out.getvalue()


def test_nothing_is_said_for_quick_requests() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, no_color=True)
    with Progress(total=1, console=console, quiet=True) as progress:
        progress.watch(lambda: ("GET ...containers", 0.2))
        time.sleep(0.7)
    assert out.getvalue() == ""
