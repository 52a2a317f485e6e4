"""The hand-written checks, one module per area. Importing this package registers them all."""

from conformance.checks import (
    errors,
    http,
    page_parameters,
    pagination,
    permissions,
    run_filter,
    schema,
    walks,
)

__all__ = [
    "errors",
    "http",
    "page_parameters",
    "pagination",
    "permissions",
    "run_filter",
    "schema",
    "walks",
]
