"""Measurement 5b: a full walk of a large run by the suite.

First the whole suite as shipped (``nf-conformance run --base-url``, unpaced) against a mock
whose latest run holds 100,000 containers: what it costs and what its walks do there. Then the
full walk itself, which the suite caps at a few thousand containers: a child process (so its
peak memory is its own) opens the suite's client (:func:`conformance.target.open_client`)
against a mock of N containers served by another process on 127.0.0.1, and asks
:class:`conformance.context.CheckContext` for the full cursor walk and the full page-number
walk, as the pagination checks do, with the page cap raised to cover the run. It prints one
JSON line; the parent adds wall time, CPU and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from conformance.bench import servers
from conformance.bench.proc import run_measured
from conformance.bench.report import measured, not_measured
from conformance.bench.runs import TOKEN_ENV, UNPACED_RATE, clean_env, over_http

SIZES = (1_000, 100_000)
SUITE_CONTAINERS = 100_000
PER_PAGE = 100
WALK_TIMEOUT_S = 300.0


def _names_set_bytes(names: AbstractSet[str]) -> int:
    """A set of these names: its table and the strings (what the duplicate check needs)."""
    table = sys.getsizeof(set(range(len(names))))  # same size as a set of the names
    return table + sum(sys.getsizeof(name) for name in names)


def walk(
    base_url: str, project_id: str, job_id: str, run_id: str, token: str, containers: int
) -> dict[str, Any]:
    from conformance.context import CheckContext
    from conformance.target import TargetSettings, open_client

    pages = math.ceil(containers / PER_PAGE)
    settings = TargetSettings(
        base_url=base_url,
        project_id=project_id,
        job_id=job_id,
        token=token,
        run_id=run_id,
        max_requests=4 * pages + 50,
    )
    started = time.perf_counter()
    with open_client(settings) as client:
        ctx = CheckContext(client, max_walk_pages=pages + 1)
        walks = [ctx.full_walk("cursor"), ctx.full_walk("page")]
        elapsed = time.perf_counter() - started
        names = ctx.known_names()  # the suite's own index: no second copy made here
        return {
            "elapsed_s": round(elapsed, 3),
            "requests": client.requests_sent,
            "pages": sum(len(w.pages) for w in walks),
            "outcomes": [w.outcome for w in walks],
            "complete": all(w.complete for w in walks),
            "containers_seen": sum(len(page.names) for page in walks[0].pages),
            "unique_names": len(names),
            "names_set_mib": round(_names_set_bytes(names) / 2**20, 1),
            "exchanges_kept": len(client.exchanges),
        }


def _main(argv: Sequence[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(prog="python -m conformance.bench.long_walk")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--job-id", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--containers", type=int, required=True)
    args = parser.parse_args(argv)
    result = walk(
        args.base_url,
        args.project_id,
        args.job_id,
        args.run_id,
        os.environ[TOKEN_ENV],
        args.containers,
    )
    print(json.dumps(result))
    return 0


def measure(sizes: Sequence[int] = SIZES) -> dict[str, Any]:
    rows = []
    for size in sizes:
        with servers.counted_mock(size) as server:
            line = servers.info(server)
            argv = [
                sys.executable,
                "-m",
                "conformance.bench.long_walk",
                "--base-url",
                servers.base_url(line),
                "--project-id",
                line["project_id"],
                "--job-id",
                line["job_id"],
                "--run-id",
                line["run_id"],
                "--containers",
                str(size),
            ]
            done = run_measured(
                argv, timeout_s=WALK_TIMEOUT_S, env=clean_env(**{TOKEN_ENV: line["token"]})
            )
        if done.usage.exit_code != 0:
            tail = done.stderr.strip().splitlines()[-3:]
            return not_measured(f"the walker exited {done.usage.exit_code}: {' / '.join(tail)}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        usage = done.usage.to_dict()
        rows.append(
            {
                "containers": size,
                **result,
                "wall_s": usage["wall_s"],
                "cpu_s": usage["cpu_s"],
                "peak_rss_mib": usage["peak_rss_mib"],
            }
        )
    suite = over_http(("--rate", UNPACED_RATE), containers=SUITE_CONTAINERS, walk_latest=True)
    notes = []
    if measured(suite):
        skipped = [
            f"{check['id']}: {check['message']}"
            for check in suite.pop("skipped_checks", [])
            if check["id"].startswith(("NF-PAG", "NF-RUN"))
        ]
        suite["skipped_walk_checks"] = skipped
    if rows and rows[-1]["exchanges_kept"] >= rows[-1]["requests"]:
        notes.append(
            "The walker's client keeps every exchange of the walk (TargetClient.exchanges: "
            f"{rows[-1]['exchanges_kept']:,} at {rows[-1]['containers']:,} containers), and the "
            "memoised walks keep every page, so memory grows with the run beyond the set of "
            "names. The suite as shipped caps a walk at a few thousand containers (see above), "
            "which bounds it in practice."
        )
    for row in rows:
        if not row["complete"]:
            notes.append(f"The {row['containers']:,} walk ended with {row['outcomes']}.")
        if row["unique_names"] != row["containers"]:
            notes.append(
                f"The {row['containers']:,} walk saw {row['unique_names']:,} unique names."
            )
    return {
        "status": "measured",
        "method": (
            "The suite's CheckContext.full_walk('cursor') and full_walk('page') (what the "
            f"pagination checks call) at per_page={PER_PAGE}, page cap raised to the run's page "
            "count, through open_client against a mock of N containers in another process; the "
            "walker's peak RSS is its own (os.wait4). The walks read the mock's latest run, "
            "the one sized to N (passed as the run id)."
        ),
        "runs": rows,
        "suite": suite,
        "suite_containers": SUITE_CONTAINERS,
        "notes": notes,
    }


if __name__ == "__main__":
    sys.exit(_main())
