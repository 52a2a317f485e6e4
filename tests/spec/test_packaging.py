"""A non-editable install ships spec/ as conformance/_spec, where conformance/spec.py looks.

Building a wheel needs setuptools from the registry, so these tests check the mechanism instead:
the symlink, setuptools' discovery of it and package-data patterns covering every file of spec/.
(A wheel build was checked by hand: ``pip install . --target /tmp/x`` then, from another
directory, ``PYTHONPATH=/tmp/x python -c "from conformance import spec; print(spec.SPEC_DIR)"``.)
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conformance import spec

ROOT = Path(__file__).resolve().parents[2]
LINK = ROOT / "conformance" / "_spec"


def test_conformance_spec_links_to_spec() -> None:
    assert LINK.is_symlink()
    assert LINK.readlink() == Path("../spec")
    assert LINK.resolve() == (ROOT / "spec").resolve() == spec.SPEC_DIR.resolve()


def test_setuptools_finds_the_linked_packages() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    # packages.find discovers namespace packages; Python >= 3.12 venvs come without setuptools
    setuptools = pytest.importorskip("setuptools")
    found = setuptools.find_namespace_packages(where=str(ROOT), include=include)
    assert {"conformance", "conformance._spec", "conformance._spec.source"} <= set(found)


def test_package_data_covers_every_spec_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    uncovered = []
    for file in sorted(p for p in spec.SPEC_DIR.rglob("*") if p.is_file()):
        relative = file.relative_to(spec.SPEC_DIR)
        package = ".".join(("conformance._spec", *relative.parent.parts))
        patterns = package_data.get(package, [])
        if not any(fnmatch.fnmatch(relative.name, pattern) for pattern in patterns):
            uncovered.append(str(relative))
    assert uncovered == []


def test_spec_py_finds_the_shipped_copy(tmp_path: Path) -> None:
    """The installed layout: conformance/ with _spec/ inside and no spec/ beside it."""
    package = tmp_path / "site" / "conformance"
    package.mkdir(parents=True)
    for name in ("__init__.py", "catalog.py", "catalog.yaml", "spec.py"):
        shutil.copy(ROOT / "conformance" / name, package / name)
    shutil.copytree(spec.SPEC_DIR, package / "_spec")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "from conformance import spec; print(spec.SPEC_DIR); "
        "print(spec.validate_body(200, spec.documented_example()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(package / "_spec"), "[]"]


def test_package_data_covers_the_catalogs() -> None:
    """catalog.yaml (checks) and mock/faults/catalog.yaml are read at import: a wheel ships them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["conformance"]
    package = ROOT / "conformance"
    for catalog in (package / "catalog.yaml", package / "mock" / "faults" / "catalog.yaml"):
        relative = catalog.relative_to(package).as_posix()
        assert catalog.is_file()
        assert any(
            fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(catalog.name, p.removeprefix("**/"))
            for p in patterns
        ), relative
