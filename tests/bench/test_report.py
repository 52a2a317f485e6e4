from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.bench import report
from conformance.bench.targets import judge


def sample_results() -> dict[str, Any]:
    measurements: dict[str, Any] = {
        "run_in_process": {
            "status": "measured",
            "wall_s": 3.2,
            "cpu_s": 2.9,
            "peak_rss_mib": 88.1,
            "requests_sent": 97,
            "requests_counted": None,
            "checks_run": 30,
            "exit_code": 0,
        },
        "run_http": report.not_measured("no --base-url yet"),
        "imports_only": {
            "status": "measured",
            "wall_s": 1.5,
            "cpu_s": 0.9,
            "peak_rss_mib": 61.0,
            "code": "import conformance.cli",
        },
        "anchor": {
            "status": "measured",
            "wall_s": 20.0,
            "cpu_s": 15.0,
            "peak_rss_mib": 150.0,
            "requests_counted": 800,
            "max_examples": 50,
            "exit_code": 1,
        },
        "run_ratios": {"anchor / ours, wall (HTTP)": None},
        "load": {
            "status": "measured",
            "generator": "wrk debian/4.1.0",
            "duration_s": 3.0,
            "path": "/v1/projects/p/jobs/j/containers",
            "ours": [{"concurrency": 1, "requests_per_s": 900.0, "p50_ms": 1.0, "p99_ms": 2.0}],
            "prism": [
                {
                    "concurrency": 1,
                    "requests_per_s": 300.0,
                    "p50_ms": 3.0,
                    "p99_ms": 9.0,
                    "ratio_requests_per_s": 3.0,
                }
            ],
            "notes": ["one note"],
        },
        "scale": report.not_measured("no sized fixture"),
        "walk": report.not_measured("no walk"),
        "parallel": report.not_measured("the runner runs checks one after another"),
    }
    return {
        "command": "nox -s bench",
        "date": "2026-11-28T12:00:00Z",
        "machine": {"cpu_count": 2, "platform": "Linux x86_64", "processor": "cpu"},
        "versions": {"python": "3.11.7", "wrk": "not installed: apt-get unavailable"},
        "measurements": measurements,
        "targets": judge(measurements),
        "notes": ["a general note"],
    }


def test_write_produces_json_and_markdown(tmp_path: Path) -> None:
    results = sample_results()
    json_path, md_path = report.write(results, tmp_path / "bench")
    assert json.loads(json_path.read_text()) == results
    markdown = md_path.read_text()
    assert "Produced by `nox -s bench` on 2026-11-28T12:00:00Z: 2 CPUs" in markdown
    assert "| wall time (s) | 3.2 | 20 |" in markdown
    assert "- run over HTTP (default live rate): Not measured: no --base-url yet." in markdown
    assert "- run over HTTP (--rate 1000): Not measured: no result." in markdown
    assert "| 1 | 900 | 1 | 2 | — | 300 | 3 | 9 | — | 3 |" in markdown
    assert "Not measured: no sized fixture." in markdown
    assert (
        "Importing the suite alone (`python -c 'import conformance.cli'`): 1.5 s wall, "
        "0.9 s CPU, 61 MiB peak RSS" in markdown
    )
    assert "Not measured: the runner runs checks one after another." in markdown
    assert "| wrk | not installed: apt-get unavailable |" in markdown
    assert "- a general note" in markdown


def test_markdown_states_each_target_plainly() -> None:
    markdown = report.render_markdown(sample_results())
    assert "| Default run, in-process mock: < 15 s wall | 3.20 s | MET | CPU 2.90 s |" in markdown
    assert "| Mock throughput >= 2x Prism's | 3.00x at c=1 | MET |" in markdown
    assert "| Default live run (--base-url): <= 150 requests | — | NOT MEASURED |" in markdown


def test_fmt() -> None:
    assert report.fmt(None) == "—"
    assert report.fmt(1234567) == "1,234,567"
    assert report.fmt(0.12345) == "0.123"
    assert report.fmt(2.0) == "2"
    assert report.fmt(1234.56) == "1,235"
    assert report.fmt(True) == "yes"
    assert report.fmt(1.5, "s") == "1.5 s"


def test_update_readme_replaces_only_the_marked_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# x\n\n## Benchmarks\n\n{report.README_START}\nold\n{report.README_END}\n\n## After\n"
    )
    assert report.update_readme(readme, sample_results())
    text = readme.read_text()
    assert "old" not in text
    assert text.startswith("# x\n\n## Benchmarks\n\n<!-- bench:start -->\nLatest figures")
    assert text.endswith("<!-- bench:end -->\n\n## After\n")
    assert "(`nox -s bench`, 2026-11-28, 2 CPUs" in text
    assert "| Default run, in-process mock: < 15 s wall | 3.20 s | MET |" in text


def test_update_readme_leaves_a_readme_without_markers_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# x\n")
    assert not report.update_readme(readme, sample_results())
    assert readme.read_text() == "# x\n"
