from __future__ import annotations

from typing import Any

from conformance.bench import targets
from conformance.bench.report import not_measured


def test_in_process_wall_met_and_missed() -> None:
    met = targets.in_process_wall({"wall_s": 3.0, "cpu_s": 2.5, "exit_code": 0})
    assert met["result"] == "met"
    assert met["note"] == "CPU 2.50 s"
    missed = targets.in_process_wall({"wall_s": 15.0, "cpu_s": 9.0, "exit_code": 1})
    assert missed["result"] == "missed"
    assert missed["note"] == "CPU 9.00 s; the run exited 1"
    assert targets.in_process_wall(not_measured("x"))["result"] == "not measured"


def test_live_requests_prefers_the_server_count_and_shows_a_disagreement() -> None:
    entry = {"requests_counted": 151, "requests_sent": 140}
    judged = targets.live_requests(entry)
    assert judged["result"] == "missed"
    assert judged["figure"] == "151 requests"
    assert "report.json says 140" in judged["note"]
    assert targets.live_requests({"requests_sent": 150})["result"] == "met"
    assert targets.live_requests({})["result"] == "not measured"


def _load(*ratios: float | None) -> dict[str, Any]:
    prism = [
        {"concurrency": c, "ratio_requests_per_s": r}
        for c, r in zip((1, 8, 32), ratios, strict=False)
    ]
    return {"status": "measured", "prism": prism}


def test_throughput_needs_every_level() -> None:
    assert targets.throughput(_load(2.5, 3.0, 4.0))["result"] == "met"
    missed = targets.throughput(_load(2.5, 1.9, 4.0))
    assert missed["result"] == "missed"
    assert missed["figure"] == "2.50x at c=1, 1.90x at c=8, 4.00x at c=32"
    assert targets.throughput(_load(2.5, None))["result"] == "not measured"
    no_prism = targets.throughput({"status": "measured", "prism": not_measured("npm failed")})
    assert no_prism == {
        "target": "Mock throughput >= 2x Prism's",
        "figure": None,
        "result": "not measured",
        "note": "npm failed",
    }


def test_scale_latency() -> None:
    ok = {"status": "measured", "ratios": {"p50 1M / 1k": 1.5, "p99 1M / 1k": 3.0}}
    assert targets.scale_latency(ok)["result"] == "met"
    assert targets.scale_latency(ok)["note"] == "p99 ratio 3.0"
    bad = {"status": "measured", "ratios": {"p50 1M / 1k": 1.51}}
    assert targets.scale_latency(bad)["result"] == "missed"
    assert targets.scale_latency({"status": "measured", "ratios": {}})["result"] == "not measured"


def _walk(small: float, large: float, names: float) -> dict[str, Any]:
    return {
        "status": "measured",
        "runs": [
            {
                "containers": 1_000,
                "unique_names": 1_000,
                "peak_rss_mib": small,
                "names_set_mib": 0.1,
                "complete": True,
            },
            {
                "containers": 100_000,
                "unique_names": 100_000,
                "peak_rss_mib": large,
                "names_set_mib": names,
                "complete": True,
            },
        ],
    }


def test_walk_memory() -> None:
    assert targets.walk_memory(_walk(60.0, 75.0, 8.0))["result"] == "met"
    missed = targets.walk_memory(_walk(60.0, 200.0, 8.0))
    assert missed["result"] == "missed"
    assert missed["figure"] == "+140.0 MiB (names set 8.0 MiB)"
    assert targets.walk_memory({"status": "measured", "runs": []})["result"] == "not measured"


def test_walk_memory_is_not_judged_on_a_walk_that_missed_the_run() -> None:
    short = _walk(60.0, 61.0, 8.0)
    short["runs"][1]["unique_names"] = 237
    judged = targets.walk_memory(short)
    assert judged["result"] == "not measured"
    assert judged["note"] == "the 100,000 walk saw 237 names"


def test_judge_lists_every_target_once() -> None:
    judged = targets.judge({})
    assert len(judged) == 5
    assert {t["result"] for t in judged} == {"not measured"}
