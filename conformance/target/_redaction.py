"""Keep token values out of everything the suite writes: evidence, messages and log records.

:class:`Redactor` replaces every known secret with ``[REDACTED]`` in text, bytes, headers and
parsed JSON. :func:`install_log_redaction` makes every log record created afterwards (httpx and
httpcore debug logs included, whatever handler receives them) pass through the same replacement.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

REDACTED = "[REDACTED]"
# A body cut at the size cap may end in the first characters of a secret; hide such a tail
# when it is at least this long (shorter tails are indistinguishable from ordinary text).
_MIN_TAIL = 4


class Redactor:
    """Replaces the given secret values; empty values are ignored."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        unique = {value for value in secrets if value}
        self.secrets: tuple[str, ...] = tuple(sorted(unique, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for value in self.secrets:
            text = text.replace(value, REDACTED)
        return text

    def redact_bytes(self, data: bytes, *, truncated: bool = False) -> bytes:
        """Replace secrets byte-wise (so non-UTF-8 bodies stay intact).

        With ``truncated``, a tail that is the beginning of a secret is hidden as well.
        """
        for value in self.secrets:
            data = data.replace(value.encode(), REDACTED.encode())
        if truncated:
            for value in self.secrets:
                secret = value.encode()
                for size in range(min(len(secret) - 1, len(data)), _MIN_TAIL - 1, -1):
                    if data.endswith(secret[:size]):
                        return data[:-size] + REDACTED.encode()
        return data

    def redact_headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Lower-cased names; Authorization always hidden, any secret elsewhere replaced."""
        result: dict[str, str] = {}
        for name, value in headers:
            key = self.redact(name.lower())
            shown = (
                REDACTED if key in ("authorization", "proxy-authorization") else self.redact(value)
            )
            result[key] = f"{result[key]}, {shown}" if key in result else shown
        return result

    def contains_secret(self, value: Any) -> bool:
        """True if any string inside ``value`` (nested lists/dicts included) holds a secret."""
        if isinstance(value, str):
            return any(secret in value for secret in self.secrets)
        if isinstance(value, Mapping):
            return any(self.contains_secret(k) or self.contains_secret(v) for k, v in value.items())
        if isinstance(value, list):
            return any(self.contains_secret(item) for item in value)
        return False

    def redact_json(self, value: Any) -> Any:
        """A copy of parsed JSON with secrets replaced in every key and string."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, Mapping):
            return {self.redact(str(k)): self.redact_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact_json(item) for item in value]
        return value

    def parse_json(self, body: bytes) -> tuple[Any, bytes]:
        """Parse an already redacted body; returns (json, body).

        A body that hid a secret behind JSON escapes (``\\u0041...``) only reveals it once
        parsed; then the parsed value is redacted and the body replaced by its re-serialisation.
        Raises ValueError (with a redacted message) when the body is not JSON.
        """
        try:
            parsed = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ValueError(
                f"body is not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None
        except json.JSONDecodeError as error:
            raise ValueError(self.redact(str(error))) from None
        if self.contains_secret(parsed):
            parsed = self.redact_json(parsed)
            body = json.dumps(parsed).encode()
        return parsed, body


# --- log records -------------------------------------------------------------------------------

_lock = threading.Lock()
_installed: dict[int, Redactor] = {}
_previous_factory: Callable[..., logging.LogRecord] | None = None
_formatter = logging.Formatter()


def _redact_all(text: str) -> str:
    for redactor in list(_installed.values()):
        text = redactor.redact(text)
    return text


def _render(record: logging.LogRecord, redact: Callable[[str], str]) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep the raw template, still redacted
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = _formatter.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Render the record's message, exception and stack with every installed secret replaced."""
    if not _installed:
        return record
    return _render(record, _redact_all)


class RedactingFilter(logging.Filter):
    """A handler or logger filter: these secrets and the installed ones; never drops a record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._redactor = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        _render(record, lambda text: self._redactor.redact(_redact_all(text)))
        return True


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    if _previous_factory is None:  # pragma: no cover - only if uninstalled mid-call
        return logging.LogRecord(*args, **kwargs)
    return redact_record(_previous_factory(*args, **kwargs))


def install_log_redaction(secrets: Iterable[str | None]) -> Callable[[], None]:
    """Redact these secrets in every log record created from now on, by any logger.

    Works at record creation (``logging.setLogRecordFactory``), so it covers every handler,
    pytest's caplog and the httpx/httpcore loggers. Returns a function that removes these
    secrets again (the factory itself stays until the last installation is removed).
    """
    global _previous_factory
    redactor = Redactor(secrets)
    key = id(redactor)
    with _lock:
        _installed[key] = redactor
        if _previous_factory is None:
            _previous_factory = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_factory)

    def uninstall() -> None:
        global _previous_factory
        with _lock:
            _installed.pop(key, None)
            # Restore only if nobody wrapped our factory since; otherwise it stays in their
            # chain and, with nothing installed, passes records through unchanged.
            if not _installed and logging.getLogRecordFactory() is _factory:
                logging.setLogRecordFactory(_previous_factory or logging.LogRecord)
                _previous_factory = None

    return uninstall
