"""``--record PATH.har``: every attempt of a run, in the order sent, written as HAR 1.2.

:class:`HarRecorder` watches the run's client (``TargetClient.attempt_observers``: retries
included, RAW data) and turns each attempt into an entry at once, redacted with the client's
redactor; :meth:`HarRecorder.write` adds ``log.creator`` and ``log._conformance`` (seed, spec,
target ids, settings, requests sent) and passes the whole text through the redactor once more.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.har.document import HAR_VERSION, HarError, dump
from conformance.har.entries import Redacts, har_entry
from conformance.har.links import link_evidence

if TYPE_CHECKING:
    import httpx

    from conformance.results import RunResult
    from conformance.target import Attempt, Credential, TargetClient, TargetSettings


class HarRecorder:
    """Collects the entries of one run; ``write`` puts them in ``path``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._redactor: Redacts | None = None
        self._settings: TargetSettings | None = None
        self._deadline_at = 0.0

    def attach(self, client: TargetClient) -> None:
        """Record every attempt ``client`` sends from now on."""
        self._redactor = client
        self._settings = client.settings
        self._deadline_at = time.monotonic() + client.settings.deadline_s
        client.attempt_observers.append(self._on_attempt)

    def _on_attempt(self, request: httpx.Request, credential: Credential, attempt: Attempt) -> None:
        if self._redactor is None or self._settings is None:
            raise RuntimeError("HarRecorder.attach(client) first")
        started = time.monotonic() - attempt.elapsed_s
        # The client cuts an attempt's timeout to what is left of the run; a timeout so cut
        # stops the run (DeadlineExceeded), which the replay must do again.
        cut = attempt.timed_out and self._deadline_at - started < self._settings.timeout_s
        entry = har_entry(
            request,
            credential,
            attempt,
            self._redactor,
            max_body_bytes=self._settings.max_body_bytes,
            cut_by_run_deadline=cut,
        )
        with self._lock:
            self.entries.append(entry)

    def document(self, result: RunResult) -> dict[str, Any]:
        """The HAR document of the run ``result`` describes."""
        settings = self._settings
        conformance: dict[str, Any] = {
            "tool": dict(result.tool),
            "seed": result.seed,
            "recorded_at": result.started_at,
            "spec": dict(result.spec),
            "target": dict(result.target),
            "requests_sent": result.requests_sent,
        }
        if settings is not None:
            conformance["settings"] = {
                "max_requests": settings.max_requests,
                "timeout_s": settings.timeout_s,
                "deadline_s": settings.deadline_s,
                "max_body_bytes": settings.max_body_bytes,
                "max_retries": settings.max_retries,
                "max_retry_wait_s": settings.max_retry_wait_s,
                "min_ratelimit_remaining": settings.min_ratelimit_remaining,
                "restricted_token": settings.restricted_token is not None,
            }
        with self._lock:
            entries = list(self.entries)
        return {
            "log": {
                "version": HAR_VERSION,
                "creator": {
                    "name": result.tool.get("name", "nf-conformance"),
                    "version": result.tool.get("version", ""),
                },
                "entries": entries,
                "comment": "Recorded by nf-conformance run --record; replay it with "
                "nf-conformance run --replay FILE.har",
                "_conformance": conformance,
            }
        }

    def write(self, result: RunResult) -> Path:
        """Write the HAR file (its directory is created); return its path."""
        text = dump(self.document(result))
        if self._redactor is not None:
            text = self._redactor.redact(text)  # a last pass: nothing unredacted leaves
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise HarError(f"cannot write {self.path}: {error.strerror or error}") from None
        return self.path


def finish_recording(result: RunResult, recorder: HarRecorder) -> None:
    """Write the HAR of the run; note it in the result and link the failures' evidence to it."""
    link_evidence(result, recorder.entries)
    path = recorder.write(result)
    result.har = {"file": str(path), "entries": len(recorder.entries)}
