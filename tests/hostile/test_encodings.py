"""Content-Encoding from hostile targets: the body cap holds on decoded bytes, bombs included."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from typing import Any

import brotli
import pytest
import zstandard

from conformance.target import Exchange, open_client
from tests.hostile.servers import Conn, Handler, Loopback, head, live_settings

PATH = "/v1/projects/demo/jobs/nightly/containers"
CAP = 10_000_000  # the default body cap, in decoded bytes
LISTING = {
    "data": {"containers": [{"name": "nightly-1"}], "runId": "r1"},
    "pagination": {"hasNextPage": False, "cursor": None, "count": 1},
}


def _gzip_stream(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built a megabyte at a time (a bomb: about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1_000_000)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + packer.flush()


BOMB = _gzip_stream(200_000_000)  # 200 MB decoded from about 200 kB
NESTED_BOMB = gzip.compress(BOMB)  # gzip of the bomb: each layer multiplies
BR_BOMB = brotli.compress(bytes(200_000_000), quality=5)  # 200 MB from about 300 bytes
ZSTD_BOMB = zstandard.compress(bytes(200_000_000))  # 200 MB from about 6 kB
BOMBS = {
    "gzip": ("gzip", BOMB),
    "gzip-of-gzip": ("gzip, gzip", NESTED_BOMB),
    "br": ("br", BR_BOMB),
    "zstd": ("zstd", ZSTD_BOMB),
    "br-of-gzip": ("gzip, br", brotli.compress(BOMB, quality=5)),
    "zstd-of-br": ("br, zstd", zstandard.compress(BR_BOMB)),
}
BODY = json.dumps(LISTING).encode()


def _zstd_frames(*parts: bytes) -> bytes:
    """One zstd frame per part, streamed (no content size in the header), one after another."""
    frames = []
    for part in parts:
        packer = zstandard.ZstdCompressor().compressobj()
        frames.append(packer.compress(part) + packer.flush())
    return b"".join(frames)


def _zstd_wide_window() -> bytes:
    """A zstd frame that asks for a 32 MiB window (RFC 9659 allows a decoder to refuse > 8 MiB)."""
    params = zstandard.ZstdCompressionParameters(window_log=25)
    packer = zstandard.ZstdCompressor(compression_params=params).compressobj()
    return packer.compress(BODY) + packer.flush()


def encoded(body: bytes, encoding: str) -> Handler:
    def handler(conn: Conn) -> None:
        conn.respond(200, body, [("Content-Encoding", encoding)])

    return handler


def _get(handler: Handler, **settings: Any) -> tuple[Exchange, Loopback]:
    with Loopback(handler) as server, open_client(live_settings(server.url, **settings)) as client:
        exchange = client.get(PATH)
    return exchange, server


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(json.dumps(LISTING).encode())),
        ("x-gzip", gzip.compress(json.dumps(LISTING).encode())),
        ("deflate", zlib.compress(json.dumps(LISTING).encode())),  # RFC 9110: zlib-wrapped
        ("deflate", zlib.compress(json.dumps(LISTING).encode())[2:-4]),  # raw, as some send it
        ("gzip, gzip", gzip.compress(gzip.compress(json.dumps(LISTING).encode()))),
        ("identity", json.dumps(LISTING).encode()),
        ("br", brotli.compress(BODY)),
        ("zstd", zstandard.compress(BODY)),
        ("zstd", _zstd_frames(BODY[:20], BODY[20:])),  # RFC 8878: one or more frames
        ("gzip, br", brotli.compress(gzip.compress(BODY))),  # gzip applied first, undone last
        ("br, zstd", zstandard.compress(brotli.compress(BODY))),
    ],
    ids=[
        "gzip",
        "x-gzip",
        "deflate-zlib",
        "deflate-raw",
        "nested",
        "identity",
        "br",
        "zstd",
        "zstd-two-frames",
        "br-of-gzip",
        "zstd-of-br",
    ],
)
def test_an_encoded_listing_is_decoded_for_the_checks(encoding: str, body: bytes) -> None:
    exchange, server = _get(encoded(body, encoding))
    assert exchange.error is None
    assert exchange.json == LISTING
    offered = server.requests[0].headers["accept-encoding"]
    assert offered == "gzip, deflate, br, zstd", "only what the client decodes within its cap"


def test_httpx_could_decode_br_and_zstd_but_only_the_bounded_decoder_does() -> None:
    """With brotli and zstandard installed httpx would decode them too: a body decoded twice
    would not be the listing (or would fail), so one decoding path is proven by the JSON."""
    from httpx._decoders import SUPPORTED_DECODERS

    assert {"br", "zstd"} <= set(SUPPORTED_DECODERS)
    twice = brotli.compress(brotli.compress(BODY))
    exchange, _ = _get(encoded(twice, "br"))  # decoded once: brotli data, not JSON
    assert exchange.error is None
    assert exchange.body == brotli.compress(BODY)
    assert exchange.json is None


@pytest.mark.parametrize("kind", list(BOMBS))
def test_a_bomb_inflates_no_further_than_the_cap(kind: str) -> None:
    encoding, bomb = BOMBS[kind]
    tracemalloc.start()
    try:
        exchange, _ = _get(encoded(bomb, encoding), timeout_s=20.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exchange.truncated
    assert exchange.error == f"response body exceeded {CAP} bytes"
    assert len(exchange.body) == CAP
    assert exchange.json is None
    # The cap, its join into one body, the redacted copy: never the 200 MB the bomb holds.
    assert peak < 4 * CAP, f"peak {peak} bytes while reading a capped bomb"


@pytest.mark.parametrize(
    ("encoding", "body", "reason"),
    [
        ("compress", b"\x1f\x9d", "Content-Encoding 'compress' is not one the request offered"),
        ("gzip", b"this is not gzip at all", "gzip data is corrupt"),
        ("gzip", gzip.compress(json.dumps(LISTING).encode())[:-12], "gzip data ends before"),
        ("deflate", b"\x78\x9c garbage", "deflate data is corrupt"),
        ("gzip", gzip.compress(b"{}") + b"trailing junk", "gzip data is corrupt"),
        ("br", b"this is not brotli", "br data is corrupt (brotli: decoder failed)"),
        ("br", brotli.compress(BODY)[:-4], "br data ends before its end marker"),
        ("br", brotli.compress(BODY) + b"junk", "br data is corrupt"),
        ("zstd", b"this is not zstd", "zstd data is corrupt (zstd decompressor error: Unknown"),
        ("zstd", zstandard.compress(BODY)[:-4], "zstd data ends before its end marker"),
        ("zstd", zstandard.compress(BODY) + b"junk", "zstd data is corrupt"),
        ("zstd", _zstd_wide_window(), "Frame requires too much memory"),
        ("gzip, br", brotli.compress(b"not gzip"), "gzip data is corrupt"),
    ],
    ids=[
        "unknown",
        "corrupt",
        "cut-short",
        "corrupt-deflate",
        "trailing-junk",
        "br-corrupt",
        "br-cut-short",
        "br-trailing-junk",
        "zstd-corrupt",
        "zstd-cut-short",
        "zstd-trailing-junk",
        "zstd-window-over-8-mib",
        "br-of-corrupt-gzip",
    ],
)
def test_a_body_that_cannot_be_decoded_is_a_judged_failure(
    encoding: str, body: bytes, reason: str
) -> None:
    exchange, _ = _get(encoded(body, encoding))
    assert exchange.status == 200
    error = exchange.error
    assert error is not None
    assert error.startswith("body could not be decoded: "), error
    assert reason in error
    assert "\n" not in error
    assert exchange.json is None


def test_a_chunked_gzip_body_decodes_across_chunk_boundaries() -> None:
    data = gzip.compress(json.dumps(LISTING).encode())

    def handler(conn: Conn) -> None:
        conn.send(head(200, [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]))
        for byte in data:  # one byte per chunk: every boundary falls mid-stream
            conn.send(b"1\r\n" + bytes([byte]) + b"\r\n")
        conn.send(b"0\r\n\r\n")

    exchange, _ = _get(handler)
    assert exchange.error is None
    assert exchange.json == LISTING
