"""Opaque pagination cursors: 24 hex characters, like the CLI's schema describes them.

A cursor remembers what it was issued for (which list, job, run and page size) and where the
next page starts. It is signed, so a malformed or altered cursor is told apart and answered 400.
Nothing is kept on the server: any app serving the same fixture accepts the same cursors.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass
from typing import Literal

_KEY = b"nf-conformance-mock-cursor-v1"
_LAYOUT = struct.Struct(">BHHI")  # kind<<7 | job, run, per_page, offset
_MAC_BYTES = 3
_SHAPE = re.compile(f"[0-9a-f]{{{2 * (_LAYOUT.size + _MAC_BYTES)}}}")
RUNS_LIST = 0xFFFF  # the run field of a cursor over a job's runs

CursorKind = Literal["containers", "runs"]


class InvalidCursor(ValueError):
    """Not a cursor this mock issued."""


@dataclass(frozen=True)
class CursorState:
    kind: CursorKind
    job_index: int
    run_index: int  # RUNS_LIST for kind "runs"
    per_page: int
    offset: int


def _mac(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, key=_KEY, digest_size=_MAC_BYTES).digest()


def _mask(payload: bytes, mac: bytes) -> bytes:
    """XOR with a stream keyed by the MAC: cursors look random, as opaque ones should."""
    stream = hashlib.blake2b(mac, key=_KEY, digest_size=len(payload)).digest()
    return bytes(a ^ b for a, b in zip(payload, stream, strict=True))


def encode(state: CursorState) -> str:
    kind_bit = 1 if state.kind == "runs" else 0
    payload = _LAYOUT.pack(
        kind_bit << 7 | state.job_index, state.run_index, state.per_page, state.offset
    )
    mac = _mac(payload)
    return (mac + _mask(payload, mac)).hex()


def decode(text: str) -> CursorState:
    """The state behind ``text``; raises :class:`InvalidCursor` for anything else."""
    if not _SHAPE.fullmatch(text):
        raise InvalidCursor("not 24 lowercase hexadecimal characters")
    raw = bytes.fromhex(text)
    mac = raw[:_MAC_BYTES]
    payload = _mask(raw[_MAC_BYTES:], mac)
    if _mac(payload) != mac:
        raise InvalidCursor("not issued by this server")
    head, run_index, per_page, offset = _LAYOUT.unpack(payload)
    kind: CursorKind = "runs" if head >> 7 else "containers"
    return CursorState(kind, head & 0x7F, run_index, per_page, offset)
