"""The one HTTP client of a run: every request of every check goes through it.

The public face is here; the modules behind it are private (``_client``: the client and
``open_client``; ``_settings``: what a run may ask and the errors it raises; ``_exchange``: one
recorded request and response; ``_sending``: one attempt; ``_limits`` and ``_pacing``: budget,
rate, deadline and quota; ``_redaction``: tokens out of everything that leaves the process;
``_transports/``: live sockets with deadlines, or the mock app in process). Nothing outside
this package imports a private module.
"""

from conformance.target._client import KEPT_EXCHANGES, TargetClient, open_client
from conformance.target._exchange import Credential, Exchange
from conformance.target._redaction import REDACTED, Redactor
from conformance.target._settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_REQUESTS,
    DEFAULT_TIMEOUT_S,
    BudgetExhausted,
    DeadlineExceeded,
    QuotaLow,
    TargetSettings,
    TargetUnreachable,
    UnsafeRequest,
)
from conformance.target._transports.live import MOCK_BASE_URL

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_MAX_REQUESTS",
    "DEFAULT_TIMEOUT_S",
    "KEPT_EXCHANGES",
    "MOCK_BASE_URL",
    "REDACTED",
    "BudgetExhausted",
    "Credential",
    "DeadlineExceeded",
    "Exchange",
    "QuotaLow",
    "Redactor",
    "TargetClient",
    "TargetSettings",
    "TargetUnreachable",
    "UnsafeRequest",
    "open_client",
]
