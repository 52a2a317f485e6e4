"""Record a run as HAR 1.2 (``--record``) and replay it offline (``--replay``).

``recorder``: every attempt of a run as an entry, redacted at write time; ``entries``: one
attempt as one entry; ``document``: the HAR 1.2 JSON Schema, reading and validation;
``replaying``: the target a recording stands for; ``links``: ``har_entry`` in the evidence.
"""

from __future__ import annotations

from conformance.har.document import HarError, load_har, problems
from conformance.har.links import link_evidence
from conformance.har.recorder import HarRecorder, finish_recording
from conformance.har.replaying import Recording, finish_replay, open_recording

__all__ = [
    "HarError",
    "HarRecorder",
    "Recording",
    "finish_recording",
    "finish_replay",
    "link_evidence",
    "load_har",
    "open_recording",
    "problems",
]
