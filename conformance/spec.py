"""The files in spec/: where they are, and loading the requirement catalog and the fragment."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from conformance.catalog import Level, Requirement, Source


def _find_spec_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "spec", here / "_spec"):
        if (candidate / "requirements.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"spec/ not found beside {here}; reinstall northflank-conformance")


SPEC_DIR = _find_spec_dir()
FRAGMENT_PATH = SPEC_DIR / "job-containers.openapi.yaml"
REQUIREMENTS_PATH = SPEC_DIR / "requirements.yaml"
SOURCE_PAGE_PATH = SPEC_DIR / "source" / "list-job-containers.txt"


@cache
def requirements() -> dict[str, Requirement]:
    """The requirement catalog, by ID, in file order."""
    raw = yaml.safe_load(REQUIREMENTS_PATH.read_text(encoding="utf-8"))
    return {
        entry["id"]: Requirement(
            id=entry["id"],
            level=Level(entry["level"]),
            source=Source(entry["source"]),
            ref=entry["ref"],
            quote=entry["quote"],
        )
        for entry in raw["requirements"]
    }


@cache
def fragment() -> dict[str, Any]:
    """The OpenAPI fragment as a plain dict."""
    loaded: dict[str, Any] = yaml.safe_load(FRAGMENT_PATH.read_text(encoding="utf-8"))
    return loaded


def fragment_sha256() -> str:
    return hashlib.sha256(FRAGMENT_PATH.read_bytes()).hexdigest()
