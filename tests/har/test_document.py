"""The HAR 1.2 JSON Schema kept in the repo, and reading a recording: one-line errors that say
what is wrong with the file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.har import HarError, load_har, open_recording, problems
from conformance.har.document import schema

ENTRY: dict[str, Any] = {
    "startedDateTime": "2026-12-01T09:00:00.000Z",
    "time": 12.5,
    "request": {
        "method": "GET",
        "url": "https://api.example/v1/x?a=1",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": "Accept", "value": "application/json"}],
        "queryString": [{"name": "a", "value": "1"}],
        "headersSize": -1,
        "bodySize": 0,
    },
    "response": {
        "status": 200,
        "statusText": "OK",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [],
        "content": {"size": 2, "mimeType": "application/json", "text": "{}"},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
    },
    "cache": {},
    "timings": {"send": 0, "wait": 12.5, "receive": 0},
    "_credential": "primary",
}
VALID: dict[str, Any] = {
    "log": {
        "version": "1.2",
        "creator": {"name": "nf-conformance", "version": "0.1.0"},
        "entries": [ENTRY],
        "_conformance": {"seed": 1, "target": {"project_id": "p", "job_id": "j"}},
    }
}


def test_the_schema_is_a_valid_2020_12_schema_and_accepts_a_spec_example() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert problems(VALID) == []


def _broken(path: list[Any], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(VALID)
    node = document
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return document


E = ["log", "entries", 0]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["log", "creator"], KeyError),
        ([*E, "timings"], KeyError),
        ([*E, "cache"], KeyError),
        ([*E, "request", "queryString"], KeyError),
        ([*E, "response", "content", "mimeType"], KeyError),
        ([*E, "startedDateTime"], "yesterday"),
        ([*E, "startedDateTime"], "2026-12-01T09:00:00"),  # no time zone
        ([*E, "time"], -5),
        ([*E, "timings", "wait"], -1),  # -1 only for the optional timings
        ([*E, "response", "status"], "200"),
        ([*E, "request", "headers"], [{"name": "A"}]),
        ([*E, "credential"], "primary"),  # a custom field must start with "_"
        (["log", "entrys"], []),
    ],
)
def test_the_schema_rejects_what_har_1_2_does_not_allow(path: list[Any], value: Any) -> None:
    assert problems(_broken(path, value)) != []


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "x.har"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe", "x.har is not a HAR file: not UTF-8 text"),
        ("{nope", "x.har is not a HAR file: not JSON (line 1, column 2"),
        ('{"log": {}}', "x.har is not a HAR file: no log.entries"),
        ("[]", "x.har is not a HAR file: no log.entries"),
        (
            json.dumps(_broken(["log", "version"], "1.1")),
            "x.har is HAR version '1.1'; only HAR 1.2",
        ),
        (
            json.dumps(_broken([*E, "timings"], KeyError)),
            "x.har is not valid HAR 1.2: log/entries/0",
        ),
        (
            json.dumps(_broken(["log", "_conformance"], KeyError)),
            "was not recorded by nf-conformance",
        ),
    ],
)
def test_a_file_that_cannot_be_replayed_says_why_in_one_line(
    tmp_path: Path, content: str | bytes, says: str
) -> None:
    with pytest.raises(HarError) as error:
        load_har(_write(tmp_path, content))
    message = str(error.value)
    assert says in message
    assert "\n" not in message


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(HarError, match=r"cannot read .*missing\.har: No such file"):
        load_har(tmp_path / "missing.har")


def test_a_valid_recording_loads(tmp_path: Path) -> None:
    assert load_har(_write(tmp_path, json.dumps(VALID))) == VALID


def _entry_broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(VALID)
    change(document["log"]["entries"][0])
    return document


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda e: e["request"].update(url="http://[::1"), "request.url is not a URL"),
        (
            lambda e: e["response"]["content"].update(encoding="base64", text="%%%"),
            "response.content.text is not base64",
        ),
        (lambda e: e.update(_capped={"limit": "10"}), "_capped needs an integer limit"),
    ],
)
def test_an_entry_the_replay_cannot_use_is_refused_when_the_file_is_opened(
    tmp_path: Path, change: Any, says: str
) -> None:
    path = _write(tmp_path, json.dumps(_entry_broken(change)))
    with pytest.raises(HarError) as error:
        open_recording(path)
    assert f"x.har: log.entries[0]: {says}" in str(error.value)


def test_a_recording_without_target_ids_says_to_record_again(tmp_path: Path) -> None:
    document = copy.deepcopy(VALID)
    del document["log"]["_conformance"]["target"]["job_id"]
    with pytest.raises(HarError, match=r"target\.job_id is missing; re-record"):
        open_recording(_write(tmp_path, json.dumps(document)))
