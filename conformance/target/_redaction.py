"""Keep token values out of everything the suite writes: evidence, messages and log records.

Redaction happens at the edge, where data leaves the process, never in the data the suite
sends and judges (see _exchange.py). :class:`Redactor` replaces every known secret with
``[REDACTED]`` in text, bytes, headers and any JSON-like value (report evidence), including
the forms a secret takes on its way out: URL-encoded (in a query string), JSON-escaped, HTML-
escaped, and the beginning of a secret just before a cut. :func:`install_log_redaction` makes
every log record created afterwards (httpx and httpcore debug logs included, whatever handler
receives them) pass through the same replacement.
"""

from __future__ import annotations

import html
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
CUT = "…"  # how a cut text ends (Exchange.excerpt)
# A text cut short may end in the first characters of a secret; hide such a tail when it is at
# least this long (shorter tails are indistinguishable from ordinary text).
_MIN_TAIL = 4
_MAX_JSON_TEXT = 100_000  # longer strings are not parsed to look for JSON-escaped secrets


def _forms(secret: str) -> set[str]:
    """The secret, and how it looks once URL-encoded, JSON-escaped or HTML-escaped."""
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
    }


class Redactor:
    """Replaces the given secret values; empty values are ignored."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        unique = {value for value in secrets if value}
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets: tuple[str, ...] = tuple(sorted(unique, key=len, reverse=True))
        forms = {form for value in unique for form in _forms(value)}
        self._forms: tuple[str, ...] = tuple(sorted(forms, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for value in self._forms:
            text = text.replace(value, REDACTED)
        if text.endswith(CUT):
            text = self._hide_tail(text[: -len(CUT)]) + CUT
        return text

    def _hide_tail(self, text: str) -> str:
        for value in self._forms:
            for size in range(min(len(value) - 1, len(text)), _MIN_TAIL - 1, -1):
                if text.endswith(value[:size]):
                    return text[:-size] + REDACTED
        return text

    def redact_bytes(self, data: bytes, *, truncated: bool = False) -> bytes:
        """Replace secrets byte-wise (so non-UTF-8 bodies stay intact).

        With ``truncated``, a tail that is the beginning of a secret is hidden as well.
        """
        for value in self._forms:
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
        if isinstance(value, list | tuple):
            return any(self.contains_secret(item) for item in value)
        return False

    def redact_json(self, value: Any) -> Any:
        """A copy of a JSON-like value with secrets replaced in every key and string."""
        return self._redact_strings(value, self.redact)

    def redact_value(self, value: Any) -> Any:
        """:meth:`redact_json`, and a string that is JSON hiding a secret behind escapes
        (``\\u0041...``, which only reveal it once parsed) is replaced by its redacted
        re-serialisation: what report evidence goes through."""
        return self._redact_strings(value, lambda text: self.redact(self._unescaped(text)))

    def _redact_strings(self, value: Any, redact: Callable[[str], str]) -> Any:
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, Mapping):
            return {self.redact(str(k)): self._redact_strings(v, redact) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._redact_strings(item, redact) for item in value]
        return value

    def _unescaped(self, text: str) -> str:
        if "\\" not in text or len(text) > _MAX_JSON_TEXT or text.lstrip()[:1] not in ("{", "["):
            return text
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        if not self.contains_secret(parsed):
            return text
        return json.dumps(self.redact_json(parsed), ensure_ascii=False)


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
