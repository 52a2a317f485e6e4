"""Sessions for developing northflank-conformance. ``nox -l`` lists them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "spec", "conformance"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True


def session(default: bool = True, **kwargs: Any) -> Callable[..., Any]:
    """A nox session; non-default sessions only run when named."""

    def decorate(func: Callable[..., Any]) -> Any:
        if not default:
            kwargs.setdefault("default", False)
        return nox.session(**kwargs)(func)

    return decorate


@session()
def tests(s: nox.Session) -> None:
    """Run the suite's own tests."""
    s.install("-e", ".[test]")
    s.run("pytest", *s.posargs)


@session()
def lint(s: nox.Session) -> None:
    """ruff check, ruff format --check, and the import contracts (lint-imports)."""
    s.install("-e", ".[dev]")
    s.run("ruff", "check", ".")
    s.run("ruff", "format", "--check", ".")
    s.run("lint-imports")


@session()
def typecheck(s: nox.Session) -> None:
    """mypy: strict on conformance/, check_untyped_defs on tests/."""
    s.install("-e", ".[dev]")
    s.run("mypy")


@session()
def spec(s: nox.Session) -> None:
    """Validate the OpenAPI fragment and the requirement catalog against the documentation page."""
    s.install("-e", ".[test]")
    s.run("pytest", "tests/spec", *s.posargs)


@session()
def conformance(s: nox.Session) -> None:
    """A conformance run against the built-in mock, in-process."""
    s.install("-e", ".")
    s.run("nf-conformance", "run", *s.posargs)


@session(default=False)
def live(s: nox.Session) -> None:
    """A run against NORTHFLANK_API_BASE_URL with NORTHFLANK_API_TOKEN (and the ids, as flags)."""
    if not os.environ.get("NORTHFLANK_API_BASE_URL"):
        s.error("set NORTHFLANK_API_BASE_URL and NORTHFLANK_API_TOKEN first")
    s.install("-e", ".")
    s.run("nf-conformance", "run", *s.posargs)


@session(default=False)
def report(s: nox.Session) -> None:
    """Regenerate reports/reference/ from a run against the built-in mock with seed 1.

    Only timing fields should change; commit the result afterwards.
    """
    s.install("-e", ".")
    s.run(
        "nf-conformance",
        "run",
        "--seed",
        "1",
        "--report-dir",
        "reports/reference",
        "--quiet",
        "--no-color",
        *s.posargs,
        env={"NORTHFLANK_API_BASE_URL": ""},  # always the built-in mock
    )


@session(default=False)
def mutation(s: nox.Session) -> None:
    """The mutation matrix: every fault of the mock, unscoped and in each cell of the path matrix.

    Fails when reports/mutation/matrix.json is stale, a survivor has no documented reason or
    fewer than 98% of the mutants are killed. ``nox -s mutation -- --write`` rewrites the file
    (then ``python -m conformance.docs --write`` the README's kill rate); commit both.
    """
    s.install("-e", ".")
    s.run("python", "-m", "conformance.mutation", *(s.posargs or ["--check"]))


@session(default=False)
def blind(s: nox.Session) -> None:
    """The blind servers of tests/blind (written from the documentation only): each is run as a
    judge would, as a subprocess, with and without --run-id and --team-id (about 10 minutes)."""
    s.install("-e", ".[test]")
    s.run("pytest", "tests/blind", *s.posargs, env={"NF_BLIND": "1"})


@session(default=False)
def bench(s: nox.Session) -> None:
    """Benchmarks (issue 7): writes reports/bench/ and the README's figures; commit them after.

    Installs wrk (apt-get, only if missing and apt-get is there) and Prism (npm, into this
    session's tmp dir only); a tool that cannot be installed skips its comparison, with a note.
    """
    import shutil

    s.install("-e", ".")
    args = ["--out", "reports/bench", "--readme", "README.md", "--command", "nox -s bench"]
    if not shutil.which("wrk") and shutil.which("apt-get"):
        s.run("apt-get", "update", "-qq", external=True, success_codes=range(256))
        s.run("apt-get", "install", "-y", "-qq", "wrk", external=True, success_codes=range(256))
    if not shutil.which("wrk"):
        why = "apt-get install wrk failed" if shutil.which("apt-get") else "no apt-get here"
        args += ["--wrk-missing", f"wrk could not be installed ({why}); the httpx generator ran"]
    tmp = s.create_tmp()  # Prism lives here only, never in the project or globally
    prism = os.path.join(tmp, "node_modules", ".bin", "prism")
    if shutil.which("npm") and not os.path.exists(prism):
        npm = ["npm", "install", "--prefix", tmp, "--no-audit", "--no-fund"]
        s.run(*npm, "@stoplight/prism-cli", external=True, success_codes=range(256))
    if os.path.exists(prism):
        args += ["--prism", prism]
    else:
        why = "npm install failed" if shutil.which("npm") else "npm is not installed"
        args += ["--prism-missing", f"Prism could not be installed ({why})"]
    s.run("python", "-m", "conformance.bench", *args, *s.posargs)
