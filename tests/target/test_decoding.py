"""_decoding: every layer hands out bounded pieces, whatever one network chunk holds."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator

import brotli
import pytest
import zstandard

from conformance.target._decoding import (
    ACCEPT_ENCODING,
    CHUNK,
    LAYERS,
    ZSTD_STEP_OUTPUT,
    UndecodableBody,
    decoded,
)

ZEROS = bytes(50_000_000)
BODY = json.dumps({"data": {"containers": [{"name": f"c{i}"} for i in range(500)]}}).encode()
PIECE_LIMIT = {  # the most one decoded piece may hold, by encoding
    "gzip": CHUNK,
    "deflate": CHUNK,
    "br": CHUNK * 3 // 2,  # brotli fills buffer blocks of 32 KiB, then 64 KiB, past its limit
    "zstd": ZSTD_STEP_OUTPUT,
}
ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": lambda data: brotli.compress(data, quality=5),
    "zstd": zstandard.compress,
}


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    return (data[start : start + size] for start in range(0, len(data), size))


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_a_bomb_in_one_network_chunk_comes_out_in_bounded_pieces(encoding: str) -> None:
    bomb = ENCODERS[encoding](ZEROS)
    assert len(bomb) < len(ZEROS) // 1000
    sizes = [len(piece) for piece in decoded(iter([bomb]), [encoding])]
    assert sum(sizes) == len(ZEROS)
    assert max(sizes) <= PIECE_LIMIT[encoding], f"{max(sizes)} bytes decoded in one piece"


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_decoding_is_lazy_a_reader_that_stops_stops_the_decoder(encoding: str) -> None:
    read: list[int] = []

    def network() -> Iterator[bytes]:
        for piece in _pieces(ENCODERS[encoding](ZEROS), 1024):
            read.append(len(piece))
            yield piece

    body = decoded(network(), [encoding])
    first = next(body)
    assert 0 < len(first) <= PIECE_LIMIT[encoding]
    assert len(read) <= 2, "the decoder read ahead of its reader"


@pytest.mark.parametrize("size", [1, 7, 65536])
@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br", "br, zstd", "zstd, gzip"])
def test_any_split_of_the_encoded_bytes_decodes_to_the_same_body(encoding: str, size: int) -> None:
    data = BODY
    for name in (part.strip() for part in encoding.split(",")):
        data = ENCODERS[name](data)
    assert b"".join(decoded(_pieces(data, size), [encoding])) == BODY


def test_an_empty_body_decodes_to_nothing_in_every_encoding() -> None:
    for encoding in ENCODERS:
        assert b"".join(decoded(iter([b""]), [encoding])) == b""


def test_zstd_frames_and_skippable_frames_follow_one_another() -> None:
    skippable = (0x184D2A50).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"abc"
    data = zstandard.compress(BODY[:100]) + skippable + zstandard.compress(BODY[100:])
    assert b"".join(decoded(_pieces(data, 5), ["zstd"])) == BODY


@pytest.mark.parametrize(
    ("encoding", "data", "reason"),
    [
        ("br", brotli.compress(BODY)[:-1], "br data ends before its end marker"),
        ("br", b"\xff" * 32, "br data is corrupt (brotli: decoder failed)"),
        ("zstd", zstandard.compress(BODY)[:-1], "zstd data ends before its end marker"),
        ("zstd", zstandard.compress(BODY) + b"\0", "zstd data is corrupt"),
        ("xz", b"", "Content-Encoding 'xz' is not one the request offered"),
    ],
    ids=["br-cut", "br-corrupt", "zstd-cut", "zstd-trailing-zero", "unknown"],
)
def test_what_cannot_be_decoded_is_undecodable_with_a_reason(
    encoding: str, data: bytes, reason: str
) -> None:
    with pytest.raises(UndecodableBody) as caught:
        b"".join(decoded(iter([data]), [encoding]))
    assert reason in str(caught.value)


def test_every_offered_coding_has_a_decoder() -> None:
    offered = [name.strip() for name in ACCEPT_ENCODING.split(",")]
    assert offered == ["gzip", "deflate", "br", "zstd"]
    assert set(offered) <= set(LAYERS)
