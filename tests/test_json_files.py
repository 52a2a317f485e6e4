from __future__ import annotations

from pathlib import Path

import pytest

from conformance.json_files import read_json, schema_problems


class Unreadable(Exception):
    pass


def _read(path: Path) -> object:
    return read_json(path, Unreadable, kind="a made-up file")


def test_reads_the_json_value(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"a": [1, "é"]}', encoding="utf-8")
    assert _read(path) == {"a": [1, "é"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read {path}: No such file or directory"),
        (b"\xff\xfe", "{path} is not a made-up file: not UTF-8 text"),
        (b'{"a": ', "{path} is not a made-up file: not JSON (line 1, column 7: Expecting value)"),
    ],
)
def test_each_problem_is_one_line_of_the_callers_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "x.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(Unreadable) as caught:
        _read(path)
    assert str(caught.value) == message.format(path=path)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_schema_problems_are_one_line_each_in_path_order(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        '{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"format": "date"}},'
        ' "required": ["c"]}',
        encoding="utf-8",
    )
    data = {"a": "one", "b": "not a date"}
    assert schema_problems(path, data) == [
        "(top level): 'c' is a required property",
        "a: 'one' is not of type 'integer'",
    ]
    assert schema_problems(path, data, formats=True)[-1] == "b: 'not a date' is not a 'date'"
    assert schema_problems(path, data, longest=8)[0] == "(top level): 'c' is a"
    assert schema_problems(path, {"a": 1, "c": 0}) == []
