"""Run one command and record what it alone cost.

Usage: ``python -m conformance.bench.trampoline OUT -- CMD ...``.

A child's peak RSS (``ru_maxrss``) starts from the memory of the process that forked it, so a
command started straight from the bench would report the bench's own footprint. Started from
this small process instead, the command's figure is its own. The usage goes to OUT as JSON; the
exit code is the command's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m conformance.bench.trampoline OUT -- CMD ...", file=sys.stderr)
        return 2
    out, command = Path(argv[0]), argv[2:]
    # The bench stops a server by signalling its whole process group: the command gets the
    # signal; this process only waits for it. (A handler, unlike SIG_IGN, is not inherited.)
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: None)
    started = time.perf_counter()
    child = subprocess.Popen(command)  # noqa: S603 - the bench's own argv
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    record = {
        "exit_code": code,
        "wall_s": wall,
        "cpu_user_s": usage.ru_utime,
        "cpu_system_s": usage.ru_stime,
        "peak_rss_kib": usage.ru_maxrss,  # KiB on Linux
    }
    out.write_text(json.dumps(record), encoding="utf-8")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
