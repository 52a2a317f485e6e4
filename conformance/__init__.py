"""Contract tests and spec conformance for Northflank's "List job containers" endpoint."""

__version__ = "0.1.0"
