"""``python -m conformance.bench.serve``: the mock, wrapped in a request counter, on 127.0.0.1.

Prints one JSON line (base URL, ids, tokens of the mock's fixture), then serves until SIGTERM.
The mock itself is not changed: :class:`CountingMiddleware` sits in front of ``create_app``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from conformance.bench.counting import CountingMiddleware


def describe(fixture: Any, base_url: str, containers: int | None) -> dict[str, Any]:
    from conformance.mock.fixture import MOCK_RESTRICTED_TOKEN, MOCK_TOKEN

    return {
        "base_url": base_url,
        "team_id": fixture.team_id,
        "project_id": fixture.project_id,
        "job_id": fixture.job_id,
        "run_id": fixture.latest_run_id,
        "token": MOCK_TOKEN,
        "restricted_token": MOCK_RESTRICTED_TOKEN,
        "containers": containers,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.bench.serve")
    parser.add_argument("--containers", type=int, default=None, help="size of the latest run")
    args = parser.parse_args(argv)

    from conformance.mock.app import create_app
    from conformance.mock.fixture import Fixture
    from conformance.mock.server import serve_in_thread

    fixture = (
        Fixture.default() if args.containers is None else Fixture.with_containers(args.containers)
    )
    app = CountingMiddleware(create_app(fixture))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with serve_in_thread(app, port=0) as base_url:
        print(json.dumps(describe(fixture, str(base_url), args.containers)), flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
