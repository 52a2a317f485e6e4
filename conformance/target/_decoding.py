"""Undo a response's Content-Encoding a piece at a time, so the body cap holds on decoded bytes.

httpx's own decoders inflate each network chunk whole: a few kilobytes of gzip (or a few hundred
bytes of br or zstd) can become gigabytes (a "bomb"), and nested encodings multiply that. Here
every layer is a lazy generator that hands out a bounded piece at a time and inflates more only
when the reader asks for it, so a reader that stops at the cap never holds more than the cap plus
one piece per layer: gzip and deflate at most :data:`CHUNK` (zlib's ``max_length``), br about
1.5 :data:`CHUNK` (brotli's ``output_buffer_limit``, reached by whole buffer blocks), zstd at
most :data:`ZSTD_STEP_OUTPUT` (zstandard has no output limit: it is fed :data:`ZSTD_STEP` bytes
at a time, and a zstd block, at most 128 KiB decoded, takes at least 4 bytes). The decoders'
own windows are bounded too: zstd's to :data:`ZSTD_MAX_WINDOW` (a frame asking for more is
refused), br's to 16 MiB by its format. httpx never decodes a body itself (the body is read
with ``iter_raw``). Encodings this module cannot decode
are not offered in Accept-Encoding (:data:`ACCEPT_ENCODING`) and a body that uses one anyway is
an :class:`UndecodableBody`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

import brotli
import zstandard

CHUNK = 64 * 1024  # the most one gzip or deflate layer inflates at a time
ZSTD_STEP = 16  # compressed bytes fed to zstd at a time
ZSTD_BLOCK = 128 * 1024  # the most one zstd block decodes to (RFC 8878, Block_Maximum_Size)
ZSTD_STEP_OUTPUT = (ZSTD_STEP // 4 + 1) * ZSTD_BLOCK  # the most one zstd step decodes to
ZSTD_MAX_WINDOW = 8 * 1024 * 1024  # RFC 9659: a zstd content coding needs no larger window

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


def _brotli(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """br (RFC 7932): output bounded per call by ``output_buffer_limit`` (brotli>=1.2)."""
    decompressor = brotli.Decompressor()
    seen_data = False
    try:
        for data in chunks:
            if not data:
                continue
            seen_data = True
            out = decompressor.process(data, output_buffer_limit=CHUNK)
            while True:
                if out:
                    yield out
                if decompressor.can_accept_more_data():  # all input in, output maybe not
                    break
                out = decompressor.process(b"", output_buffer_limit=CHUNK)
        while seen_data and not decompressor.is_finished():  # what the limit held back
            out = decompressor.process(b"", output_buffer_limit=CHUNK)
            if not out:
                raise UndecodableBody("br data ends before its end marker")
            yield out
    except brotli.error as error:
        raise UndecodableBody(f"br data is corrupt ({error})") from None


def _zstd(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """zstd (RFC 8878): frames one after another, fed a few bytes at a time to bound output."""
    context = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    frame = context.decompressobj()
    in_frame = False  # bytes went into a frame that has not ended yet
    for data in chunks:
        view = memoryview(data)
        while view:
            step: bytes | memoryview = view[:ZSTD_STEP]
            view = view[ZSTD_STEP:]
            while step:
                in_frame = True
                try:
                    out = frame.decompress(step)
                except zstandard.ZstdError as error:
                    raise UndecodableBody(f"zstd data is corrupt ({error})") from None
                step = b""
                if frame.eof:  # the next frame starts with what this one left of the step
                    in_frame = False
                    step = frame.unused_data
                    frame = context.decompressobj()
                if out:
                    yield out
    if in_frame:
        raise UndecodableBody("zstd data ends before its end marker")


def _identity(chunks: Iterator[bytes]) -> Iterator[bytes]:
    return chunks


LAYERS: dict[str, Layer] = {
    "identity": _identity,
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what a request offers: only what LAYERS decodes


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
