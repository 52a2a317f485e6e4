"""The built-in mock of "List job containers": fixture, app, faults, server."""
