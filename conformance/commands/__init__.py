"""Subcommands of nf-conformance, one module each."""
