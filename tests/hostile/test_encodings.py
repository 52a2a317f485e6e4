"""Content-Encoding from hostile targets: the body cap holds on decoded bytes, bombs included."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from typing import Any

import pytest

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
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "nested", "identity"],
)
def test_an_encoded_listing_is_decoded_for_the_checks(encoding: str, body: bytes) -> None:
    exchange, server = _get(encoded(body, encoding))
    assert exchange.error is None
    assert exchange.json == LISTING
    offered = server.requests[0].headers["accept-encoding"]
    assert offered == "gzip, deflate", "only what the client decodes within its cap is offered"


@pytest.mark.parametrize("bomb", [BOMB, NESTED_BOMB], ids=["gzip", "gzip-of-gzip"])
def test_a_gzip_bomb_inflates_no_further_than_the_cap(bomb: bytes) -> None:
    encoding = "gzip" if bomb is BOMB else "gzip, gzip"
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
        ("br", b"\x0b\x02\x80{}\x03", "Content-Encoding 'br' is not one the request offered"),
        ("compress", b"\x1f\x9d", "Content-Encoding 'compress' is not one the request offered"),
        ("gzip", b"this is not gzip at all", "gzip data is corrupt"),
        ("gzip", gzip.compress(json.dumps(LISTING).encode())[:-12], "gzip data ends before"),
        ("deflate", b"\x78\x9c garbage", "deflate data is corrupt"),
        ("gzip", gzip.compress(b"{}") + b"trailing junk", "gzip data is corrupt"),
    ],
    ids=["br-unoffered", "unknown", "corrupt", "cut-short", "corrupt-deflate", "trailing-junk"],
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
