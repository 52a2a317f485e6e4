# ruff: noqa: E501, S108
"""python -m tests.blind.run_all [NAME ...]: every server x variant, results appended to /tmp/blind/results.jsonl"""

import json
import sys

from tests.blind.run_blind import run_one
from tests.blind.servers import SERVERS

names = sys.argv[1:] or list(SERVERS)
with open("/tmp/blind/results.jsonl", "a") as out:
    for n in names:
        for v in SERVERS[n].variants:
            r = run_one(n, v)
            out.write(json.dumps(r) + "\n")
            out.flush()
            print(json.dumps(r), flush=True)
