from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.report.bodies import PREVIEW_LINES, indent_json, looks_like_json, readable
from tests.report.builders import big_body

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


def tokens_outside_strings(text: str) -> str:
    """``text`` without whitespace between tokens: what indenting may change and nothing else."""
    parts = re.split(r'("(?:[^"\\]|\\.)*")', text)
    return "".join(part if i % 2 else re.sub(r"\s+", "", part) for i, part in enumerate(parts))


@settings(max_examples=60, deadline=None)
@given(JSON_VALUES.filter(lambda v: isinstance(v, dict | list)), st.sampled_from([None, 0]))
def test_indenting_changes_only_whitespace_between_tokens(value: Any, indent: int | None) -> None:
    sent = json.dumps(value, indent=indent, ensure_ascii=False)
    shown = indent_json(sent)
    assert json.loads(shown) == value
    assert tokens_outside_strings(shown) == tokens_outside_strings(sent)


def test_values_stay_as_the_target_sent_them() -> None:
    sent = '{"count": 1.10, "count": 2, "name": "a,b: {c} [d] \\"e\\"", "big": 1e400}'
    shown = indent_json(sent)
    assert shown == (
        '{\n  "count": 1.10,\n  "count": 2,\n  "name": "a,b: {c} [d] \\"e\\"",\n  "big": 1e400\n}'
    )


def test_empty_containers_stay_on_one_line_and_nesting_indents() -> None:
    assert indent_json('{"a": {}, "b": [ ], "c": [[1]]}') == (
        '{\n  "a": {},\n  "b": [],\n  "c": [\n    [\n      1\n    ]\n  ]\n}'
    )


def test_two_bare_tokens_keep_the_space_between_them() -> None:
    assert indent_json('{"a": tru e, "b": 1 2}') == '{\n  "a": tru e,\n  "b": 1 2\n}'


def test_a_body_cut_at_the_evidence_limit_still_indents() -> None:
    cut = '{"data": {"containers": [{"name": "a"}, {"name": "b…'
    assert looks_like_json(cut)
    body = readable(cut)
    assert body.is_json
    assert body.text.splitlines()[:4] == ["{", '  "data": {', '    "containers": [', "      {"]
    assert body.text.endswith('"name": "b…')


def test_a_body_that_is_not_json_is_shown_verbatim() -> None:
    for text in ("<html><body>502 Bad Gateway</body></html>", '{"a": 1,}', "[1, 2", "plain"):
        body = readable(text)
        assert not body.is_json
        assert body.text == text
        assert body.preview is None


def test_a_short_body_has_no_preview() -> None:
    body = readable(big_body(2))
    assert body.is_json
    assert body.preview is None
    assert body.line_count == len(body.text.splitlines())


def test_a_long_body_previews_its_first_lines() -> None:
    body = readable(big_body(60))
    assert body.preview is not None
    shown = body.preview.splitlines()
    assert shown[:-1] == body.text.splitlines()[:PREVIEW_LINES]
    assert shown[-1] == "…"
    assert body.line_count > PREVIEW_LINES * 5
    assert re.fullmatch(r"\d+\.\d KB", body.size)


def test_a_long_single_line_body_that_is_not_json_is_previewed_by_size() -> None:
    body = readable("x" * 10_000)
    assert body.preview is not None
    assert len(body.preview) < 4000
    assert body.size == "9.8 KB"


def test_json_nested_past_what_json_reads_is_shown_as_it_came() -> None:
    """A hostile body of 50,000 '[' made json.loads raise RecursionError in the HTML writer."""
    from conformance.report import bodies

    deep = "[" * 50_000
    shown = bodies.readable(deep)
    assert not shown.is_json
    assert shown.text == deep
