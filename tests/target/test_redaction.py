"""Secrets are replaced in text, bytes, headers, JSON and every log record."""

from __future__ import annotations

import json
import logging

import pytest

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
    body = f'{{"echo": "{escaped}", "{escaped}": [1, "{escaped}"]}}'.encode()
    parsed, redacted_body = Redactor([SECRET]).parse_json(body)
    assert parsed == {"echo": REDACTED, REDACTED: [1, REDACTED]}
    assert json.loads(redacted_body) == parsed
    assert SECRET not in redacted_body.decode()


def test_plain_json_keeps_its_bytes() -> None:
    body = b'{"a":  1}'
    assert Redactor([SECRET]).parse_json(body) == ({"a": 1}, body)


def test_not_json_raises_value_error_with_a_redacted_message() -> None:
    with pytest.raises(ValueError, match="Expecting value"):
        Redactor([SECRET]).parse_json(b"<html>")
    with pytest.raises(ValueError, match="body is not UTF-8"):
        Redactor([SECRET]).parse_json(b"\xff")


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
