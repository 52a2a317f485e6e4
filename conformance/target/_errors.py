"""Why a client stops sending (:class:`BudgetExhausted` and its kinds) or refuses a request.

Re-exported by :mod:`conformance.target`; import from there.
"""

from __future__ import annotations


class BudgetExhausted(Exception):
    """The run may send no more requests: ``--max-requests`` is spent (or a subclass's reason).

    Checks that meet it could not run: report them as skipped with :attr:`reason`.
    """

    reason = "budget"


class QuotaLow(BudgetExhausted):
    """The target's rate-limit quota is nearly spent (or it asks for a long wait): stop early."""

    reason = "rate-limit quota"


class DeadlineExceeded(BudgetExhausted):
    """The run's overall deadline (``--deadline``) has passed."""

    reason = "deadline"


class UnsafeRequest(Exception):
    """A request the client refuses: non-GET to a live target, or a URL off the target's origin."""


class TargetUnreachable(BudgetExhausted):
    """Several attempts in a row got no complete answer (refused, reset, timed out, cut short).

    The run stops sending, like any :class:`BudgetExhausted`: the checks left are skipped with
    this reason, the report set is still written, and the run exits 3.
    """

    reason = "target unreachable"
