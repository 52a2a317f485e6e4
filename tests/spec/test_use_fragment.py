"""spec.use_fragment (``--spec``): another fragment for one block only, checked before use."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance import spec


def _write(tmp_path: Path, document: Any, name: str = "next.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _with_status(status: str) -> dict[str, Any]:
    document = copy.deepcopy(spec.fragment())
    document["components"]["schemas"]["ContainerStatus"]["enum"].append(status)
    return document


def _body(status: str) -> dict[str, Any]:
    body = copy.deepcopy(spec.documented_example())
    body["data"]["containers"][0]["status"] = status
    return body


def test_inside_the_block_every_judgement_uses_the_other_fragment(tmp_path: Path) -> None:
    path = _write(tmp_path, _with_status("Running"))
    assert spec.validate_body(200, _body("Running")) != []
    default_sha = spec.fragment_sha256()
    with spec.use_fragment(path) as chosen:
        assert chosen == path.resolve() == spec.fragment_path()
        assert spec.validate_body(200, _body("Running")) == []
        assert (
            "Running"
            in spec.response_schema(200)["properties"]["data"]["properties"]["containers"]["items"][
                "properties"
            ]["status"]["enum"]
        )
        assert spec.fragment_sha256() != default_sha
    assert spec.fragment_path() == spec.FRAGMENT_PATH, "nothing leaks past the block"
    assert spec.validate_body(200, _body("Running")) != []
    assert spec.fragment_sha256() == default_sha


def test_the_block_is_left_as_found_when_it_raises(tmp_path: Path) -> None:
    path = _write(tmp_path, _with_status("Running"))
    with pytest.raises(RuntimeError), spec.use_fragment(path):
        raise RuntimeError("a run that failed")
    assert spec.fragment_path() == spec.FRAGMENT_PATH


def test_none_keeps_the_current_fragment() -> None:
    with spec.use_fragment(None) as chosen:
        assert chosen == spec.FRAGMENT_PATH


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("paths: [\n", "is not YAML (line 2); expected an OpenAPI fragment"),
        ("- a list\n", "has no GET /v1/projects/{projectId}/jobs/{jobId}/containers"),
        ("openapi: 3.1.0\npaths: {}\n", "is not an OpenAPI fragment of List job containers"),
    ],
)
def test_a_fragment_that_cannot_be_used_is_refused_before_the_block(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(spec.FragmentError, match=r"bad\.yaml") as error, spec.use_fragment(path):
        pytest.fail("the block must not run")  # pragma: no cover
    assert says in str(error.value)
    assert spec.fragment_path() == spec.FRAGMENT_PATH


def test_a_missing_fragment_says_so(tmp_path: Path) -> None:
    with (
        pytest.raises(spec.FragmentError, match="No such file"),
        spec.use_fragment(tmp_path / "gone.yaml"),
    ):
        pytest.fail("the block must not run")  # pragma: no cover
