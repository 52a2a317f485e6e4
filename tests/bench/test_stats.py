from __future__ import annotations

import pytest

from conformance.bench.stats import latency_summary, percentile, ratio


def test_percentile_interpolates_like_numpy_linear() -> None:
    samples = [4.0, 1.0, 3.0, 2.0]  # sorted: 1 2 3 4
    assert percentile(samples, 0) == 1.0
    assert percentile(samples, 100) == 4.0
    assert percentile(samples, 50) == pytest.approx(2.5)
    assert percentile(samples, 99) == pytest.approx(3.97)


def test_percentile_of_one_sample_is_that_sample() -> None:
    assert percentile([7.0], 50) == 7.0
    assert percentile([7.0], 99) == 7.0


def test_percentile_exact_rank() -> None:
    samples = [float(i) for i in range(101)]  # 0..100
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 99) == 99.0


@pytest.mark.parametrize("p", [-1, 100.5])
def test_percentile_rejects_out_of_range(p: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], p)


def test_percentile_rejects_no_samples() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)


def test_latency_summary_reports_milliseconds() -> None:
    summary = latency_summary([0.001, 0.002, 0.003])
    assert summary == {"count": 3, "p50_ms": 2.0, "p99_ms": 2.98, "mean_ms": 2.0, "max_ms": 3.0}


def test_ratio_handles_missing_and_zero() -> None:
    assert ratio(3, 2) == 1.5
    assert ratio(None, 2) is None
    assert ratio(3, None) is None
    assert ratio(3, 0) is None
