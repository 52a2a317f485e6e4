"""Secrets are replaced in text, bytes, headers, JSON and every log record."""

from __future__ import annotations

import json
import logging

import pytest

from conformance.target._exchange import parse_json
from conformance.target._redaction import REDACTED, RedactingFilter, Redactor, install_log_redaction

SECRET = "nf-secret-0123456789abcdef"
OTHER = "nf-other-fedcba9876543210"


def test_text_bytes_and_headers() -> None:
    redactor = Redactor([SECRET, None, "", OTHER])
    assert redactor.secrets == (SECRET, OTHER)
    assert redactor.redact(f"a {SECRET} b {OTHER}") == f"a {REDACTED} b {REDACTED}"
    assert redactor.redact_bytes(b"\xff" + SECRET.encode()) == b"\xff" + REDACTED.encode()
    headers = redactor.redact_headers(
        [("Authorization", "Basic abc"), ("X-Echo", f"Bearer {SECRET}"), ("X-Echo", "two")]
    )
    assert headers == {"authorization": REDACTED, "x-echo": f"Bearer {REDACTED}, two"}


def test_a_secret_containing_another_is_replaced_whole() -> None:
    redactor = Redactor(["abcd", "xxabcdxx"])
    assert redactor.redact("xxabcdxx") == REDACTED


def test_a_cut_tail_that_starts_a_secret_is_hidden() -> None:
    redactor = Redactor([SECRET])
    assert redactor.redact_bytes(b"body " + SECRET[:8].encode(), truncated=True) == (
        b"body " + REDACTED.encode()
    )
    assert redactor.redact_bytes(b"body nf-", truncated=True) == b"body nf-", "too short to tell"
    assert redactor.redact_bytes(b"body " + SECRET[:8].encode()) == b"body " + SECRET[:8].encode()


def test_json_escapes_cannot_smuggle_a_secret() -> None:
    escaped = "".join(f"\\u{ord(char):04x}" for char in SECRET)
    body = f'{{"echo": "{escaped}", "{escaped}": [1, "{escaped}"]}}'
    shown = Redactor([SECRET]).redact_value({"response": {"body": body}})
    assert json.loads(shown["response"]["body"]) == {"echo": REDACTED, REDACTED: [1, REDACTED]}
    plain = '{"a":  1, "b": "\\u0041"}'
    assert Redactor([SECRET]).redact_value([plain]) == [plain]  # no secret: kept as it was


def test_the_forms_a_secret_takes_on_its_way_out() -> None:
    secret = "nf/sec ret+é&<x>"
    redactor = Redactor([secret])
    for form in (
        secret,
        "nf%2Fsec%20ret%2B%C3%A9%26%3Cx%3E",  # a query string
        "nf%2Fsec+ret%2B%C3%A9%26%3Cx%3E",  # a form-encoded query string
        json.dumps(secret)[1:-1],  # inside a JSON string
        "nf/sec ret+é&amp;&lt;x&gt;",  # HTML
    ):
        assert redactor.redact(f"a {form} b") == f"a {REDACTED} b", form


def test_the_start_of_a_secret_before_a_cut_is_hidden() -> None:
    redactor = Redactor([SECRET])
    assert redactor.redact(f"body {SECRET[:8]}…") == f"body {REDACTED}…"
    assert redactor.redact(f"body {SECRET[:8]}") == f"body {SECRET[:8]}", "not cut: not hidden"
    assert redactor.redact("body nf-…") == "body nf-…", "too short to tell"


def test_parse_json_names_why_a_body_is_not_json() -> None:
    assert parse_json(b'{"a":  1}') == {"a": 1}
    with pytest.raises(ValueError, match="Expecting value"):
        parse_json(b"<html>")
    with pytest.raises(ValueError, match="body is not UTF-8"):
        parse_json(b"\xff")


def test_log_records_are_redacted_for_every_logger_and_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    uninstall = install_log_redaction([SECRET])
    try:
        logging.getLogger("httpx").debug("Authorization: Bearer %s", SECRET)
        try:
            raise RuntimeError(f"failed with {SECRET}")
        except RuntimeError:
            logging.getLogger("anything.else").exception("boom")
    finally:
        uninstall()
    assert SECRET not in caplog.text
    assert f"Authorization: Bearer {REDACTED}" in caplog.text
    assert f"RuntimeError: failed with {REDACTED}" in caplog.text
    logging.getLogger("httpx").debug("after %s", SECRET)
    assert f"after {SECRET}" in caplog.text, "uninstalled: records pass unchanged"


def test_installations_stack_and_uninstall_independently(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    factory = logging.getLogRecordFactory()
    first = install_log_redaction([SECRET])
    second = install_log_redaction([OTHER])
    first()
    logging.getLogger("t").debug("%s %s", SECRET, OTHER)
    second()
    assert f"{SECRET} {REDACTED}" in caplog.text
    assert logging.getLogRecordFactory() is factory


def test_the_filter_works_on_a_handler_without_installation() -> None:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "token %s", (SECRET,), None)
    assert RedactingFilter([SECRET]).filter(record)
    assert record.getMessage() == f"token {REDACTED}"
