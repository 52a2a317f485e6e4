from __future__ import annotations

from typing import Any

from conformance.bench import load


def test_median_run_keeps_the_median_and_every_rate() -> None:
    runs = [
        {"requests_per_s": 300.0, "p50_ms": 3.0},
        {"requests_per_s": 100.0, "p50_ms": 9.0},
        {"requests_per_s": 200.0, "p50_ms": 5.0},
    ]
    chosen = load._median_run(runs)
    assert chosen["requests_per_s"] == 200.0
    assert chosen["p50_ms"] == 5.0
    assert chosen["repeats_requests_per_s"] == [300.0, 100.0, 200.0]


def test_levels_alternate_between_targets_after_a_warm_up() -> None:
    calls: list[tuple[str, int, float]] = []

    def fake(url: str, level: int, duration: float, headers: dict[str, str]) -> dict[str, Any]:
        calls.append((url, level, duration))
        return {"requests_per_s": float(len(calls)), "concurrency": level}

    rows = load._levels(fake, {"a": "A", "b": "B"}, {}, [1, 8], 3.0, repeats=2)
    assert calls[:6] == [
        ("A", 1, 1.0),
        ("B", 1, 1.0),
        ("A", 1, 3.0),
        ("B", 1, 3.0),
        ("A", 1, 3.0),
        ("B", 1, 3.0),
    ]
    assert len(calls) == 12
    assert [row["concurrency"] for row in rows["a"]] == [1, 8]
    assert [row["concurrency"] for row in rows["b"]] == [1, 8]
