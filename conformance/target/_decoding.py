"""Undo a response's Content-Encoding a chunk at a time, so the body cap holds on decoded bytes.

httpx's own decoders inflate each network chunk whole: a few kilobytes of gzip can become
gigabytes (a "gzip bomb"), and nested encodings multiply that. Here every layer is a lazy
generator that hands out at most :data:`CHUNK` bytes at a time and inflates more only when the
reader asks for it, so a reader that stops at the cap never holds more than the cap plus one
chunk per layer. Encodings this module cannot decode are not offered in Accept-Encoding
(:data:`ACCEPT_ENCODING`) and a body that uses one anyway is an :class:`UndecodableBody`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

CHUNK = 64 * 1024  # the most one layer inflates at a time

Layer = Callable[[Iterator[bytes]], Iterator[bytes]]


class UndecodableBody(Exception):
    """The body's Content-Encoding is unknown, or its encoded data is corrupt or cut short."""


def _inflate(chunks: Iterator[bytes], wbits: int, name: str) -> Iterator[bytes]:
    """zlib-family data (gzip members one after another, or one zlib/raw deflate stream)."""
    inflater = zlib.decompressobj(wbits)
    seen_data = False
    for data in chunks:
        while data:
            seen_data = True
            try:
                out = inflater.decompress(data, CHUNK)
            except zlib.error as error:
                raise UndecodableBody(f"{name} data is corrupt ({error})") from None
            data = inflater.unconsumed_tail
            if inflater.eof:
                data = inflater.unused_data + data
                if not data.strip(b"\0"):
                    data = b""  # padding after the last member
                elif name == "gzip":
                    inflater = zlib.decompressobj(wbits)  # the next gzip member
                else:
                    raise UndecodableBody(f"{name} data goes on after its end")
            if out:
                yield out
    if seen_data and not inflater.eof:
        raise UndecodableBody(f"{name} data ends before its end marker")


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    return _inflate(chunks, 16 + zlib.MAX_WBITS, "gzip")


def _deflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """RFC 9110's deflate is zlib-wrapped; some servers send raw deflate: accept both."""
    first = b""
    for first in chunks:
        if first:
            break
    if not first:
        return
    header = int.from_bytes(first[:2], "big")
    zlib_wrapped = len(first) < 2 or (first[0] & 0x0F == 8 and header % 31 == 0)
    wbits = zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS
    yield from _inflate(_prepend(first, chunks), wbits, "deflate")


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _identity(chunks: Iterator[bytes]) -> Iterator[bytes]:
    return chunks


LAYERS: dict[str, Layer] = {
    "identity": _identity,
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
}
ACCEPT_ENCODING = "gzip, deflate"  # what a request offers: only what LAYERS decodes


def layers(content_encodings: Iterable[str]) -> list[Layer]:
    """The decoders for a response's Content-Encoding header values, outermost first.

    Raises UndecodableBody for an encoding this module cannot decode.
    """
    names = [
        name.strip().lower()
        for value in content_encodings
        for name in value.split(",")
        if name.strip()
    ]
    found: list[Layer] = []
    for name in reversed(names):  # the last coding applied is undone first
        layer = LAYERS.get(name)
        if layer is None:
            offered = ACCEPT_ENCODING
            raise UndecodableBody(
                f"Content-Encoding {name!r} is not one the request offered ({offered})"
            )
        found.append(layer)
    return found


def decoded(raw: Iterator[bytes], content_encodings: Iterable[str]) -> Iterator[bytes]:
    """The decoded body, lazily; UndecodableBody as soon as the encoding is found unusable."""
    stream = raw
    for layer in layers(content_encodings):
        stream = layer(stream)
    return stream
