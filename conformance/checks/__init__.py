"""The hand-written checks, one module per area. Importing this package registers them all."""

from conformance.checks import errors, http, pagination, permissions, run_filter, schema

__all__ = ["errors", "http", "pagination", "permissions", "run_filter", "schema"]
