"""The exit codes of every nf-conformance command, defined once (imports nothing)."""

from __future__ import annotations

EXIT_OK = 0  # conformant; no regression; the mock stopped cleanly
EXIT_FAILED = 1  # a required check failed (or an entry is stale); a regression
EXIT_USAGE = 2  # usage or configuration error; a report that cannot be read
EXIT_UNREACHABLE = 3  # the target cannot be reached
EXIT_INTERRUPTED = 130  # Ctrl-C
