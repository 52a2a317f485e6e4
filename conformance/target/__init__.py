"""The one HTTP client of a run: every request of every check goes through it.

The public face is here; the modules behind it are private (``_client``: the client and
``open_client``; ``_settings``: what a run may ask and the errors it raises; ``_exchange``: one
recorded request and response; ``_sending``: one attempt; ``_limits`` and ``_pacing``: budget,
rate, deadline and quota; ``_redaction``: tokens out of everything that leaves the process;
``_transports/``: live sockets with deadlines, the mock app in process, or a replay of a
recording). Nothing outside
this package imports a private module.
"""

from conformance.target._client import KEPT_EXCHANGES, AttemptObserver, TargetClient, open_client
from conformance.target._errors import (
    BudgetExhausted,
    DeadlineExceeded,
    QuotaLow,
    TargetUnreachable,
    UnsafeRequest,
)
from conformance.target._exchange import NOT_KEPT, Credential, Exchange
from conformance.target._redaction import REDACTED, Redactor
from conformance.target._sending import Attempt
from conformance.target._settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_REQUESTS,
    DEFAULT_TIMEOUT_S,
    TargetSettings,
)
from conformance.target._transports.live import MOCK_BASE_URL
from conformance.target._transports.replay import NotInRecording, ReplayTransport, request_key

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_MAX_REQUESTS",
    "DEFAULT_TIMEOUT_S",
    "KEPT_EXCHANGES",
    "MOCK_BASE_URL",
    "NOT_KEPT",
    "REDACTED",
    "Attempt",
    "AttemptObserver",
    "BudgetExhausted",
    "Credential",
    "DeadlineExceeded",
    "Exchange",
    "NotInRecording",
    "QuotaLow",
    "Redactor",
    "ReplayTransport",
    "TargetClient",
    "TargetSettings",
    "TargetUnreachable",
    "UnsafeRequest",
    "open_client",
    "request_key",
]
