"""The benchmark (issue 7): how fast a run is, how little it asks of the target, how the mock
scales. ``python -m conformance.bench`` (or ``nox -s bench``) writes reports/bench/."""
