"""Levels rest on words: a MUST requirement quotes words, or cites a reference, that require.

spec/requiring.yaml is the one reviewed list of such words and references; a quote that only
describes (what a status code means, what a parameter is for) makes a SHOULD at most.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance import spec
from conformance.catalog import Level, Requirement, Source

REQUIRING_PATH = Path(spec.SPEC_DIR) / "requiring.yaml"


def requiring() -> tuple[list[str], list[str]]:
    """(words, refs) of spec/requiring.yaml, each entry with its reason checked present."""
    loaded: dict[str, list[dict[str, Any]]] = yaml.safe_load(
        REQUIRING_PATH.read_text(encoding="utf-8")
    )
    assert set(loaded) == {"words", "refs"}
    for entry in loaded["words"] + loaded["refs"]:
        assert isinstance(entry.get("why"), str), entry
        assert entry["why"].strip(), entry
    return [e["word"] for e in loaded["words"]], [e["ref"] for e in loaded["refs"]]


def unbacked(requirement: Requirement, words: list[str], refs: list[str]) -> str | None:
    """Why ``requirement`` may not be MUST, or None when its quote or ref requires."""
    if requirement.level is not Level.MUST:
        return None
    for word in words:
        if re.search(rf"\b{re.escape(word)}\b", requirement.quote, re.IGNORECASE):
            return None
    if any(requirement.ref.startswith(ref) for ref in refs):
        return None
    return (
        f"{requirement.id} is MUST, but its quote {requirement.quote!r} ({requirement.ref}) "
        "contains no requiring word and cites no requiring reference of spec/requiring.yaml: "
        "lower it to SHOULD, or quote the words that require it"
    )


def test_the_list_is_short_and_every_entry_says_why() -> None:
    words, refs = requiring()
    assert 0 < len(words) <= 12
    assert 0 < len(refs) <= 12
    assert len(set(words)) == len(words)
    assert len(set(refs)) == len(refs)


def test_every_must_requirement_rests_on_requiring_words() -> None:
    words, refs = requiring()
    problems = [unbacked(r, words, refs) for r in spec.requirements().values()]
    assert [p for p in problems if p] == []


def _requirement(level: Level, quote: str, ref: str) -> Requirement:
    return Requirement("REQ-PAG-FAKE", level, Source.HTTP, ref, quote)


RFC_400 = (
    "The 400 (Bad Request) status code indicates that the server cannot or will not process "
    "the request due to something that is perceived to be a client error"
)


@pytest.mark.parametrize(
    ("quote", "ref"),
    [
        ("The 404 (Not Found) status code indicates that the origin server did not find a "
         "current representation for the target resource", "RFC 9110 §15.5.5"),
        ("The 4xx (Client Error) class of status code indicates that the client seems to have "
         "erred.", "RFC 9110 §15.5"),
        ("Ordering guarantee: unknown.", "Northflank API notes: Pagination"),
        (RFC_400, "RFC 9110 §15.5.1"),
    ],
)  # fmt: skip
def test_a_must_on_a_descriptive_quote_is_rejected(quote: str, ref: str) -> None:
    words, refs = requiring()
    problem = unbacked(_requirement(Level.MUST, quote, ref), words, refs)
    assert problem is not None
    assert "lower it to SHOULD" in problem
    assert unbacked(_requirement(Level.SHOULD, quote, ref), words, refs) is None


def test_a_requiring_word_or_reference_backs_a_must() -> None:
    words, refs = requiring()
    worded = _requirement(Level.MUST, "A server MUST NOT send it.", "RFC 9110 §15.5.5")
    cited = _requirement(Level.MUST, "count number", "list-job-containers: Response body / x")
    assert unbacked(worded, words, refs) is None
    assert unbacked(cited, words, refs) is None
