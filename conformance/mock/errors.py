"""The mock's error answers: how bad values are echoed, and how an :class:`ApiError` is sent.

Every error is ``{"error": {"status", "message", "id"}}`` as application/json (see
:meth:`ApiError.body`); a fault may rewrite it or answer something else entirely.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from conformance.mock.faults import FaultSet
from conformance.mock.model import ApiError, Ctx

SHOWN = 40  # characters of a bad value echoed in a message


def shown(value: str) -> str:
    """A client's value as an error message quotes it: repr, cut after :data:`SHOWN` chars."""
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "…")


def bad_request(parameter: str, message: str) -> ApiError:
    """A 400 naming the query parameter at fault."""
    return ApiError(400, message, "bad-request", details={"parameter": parameter})


def unprocessable() -> ApiError:
    """The 400 for a request that raised anything unexpected: never a 5xx."""
    return ApiError(400, "The request could not be processed", "bad-request")


def error_response(faults: FaultSet, ctx: Ctx, error: ApiError) -> Response:
    """The response for ``error``, after the faults' ``error`` hooks."""
    result = faults.error(ctx, error)
    if isinstance(result, Response):
        return result
    return JSONResponse(result.body(), status_code=result.status, headers=result.headers)
