"""prepare(): the last guard before a request leaves; send_once() is exercised in tests/hostile/."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conformance.target._sending import Unsendable, prepare


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(base_url="https://api.example.test") as client:
        yield client


def test_a_path_on_the_base_url_is_prepared(http: httpx.Client) -> None:
    request = prepare(http, "GET", "/v1/projects/a b/x", {"cursor": "c"}, {"Accept": "x"})
    assert str(request.url) == "https://api.example.test/v1/projects/a%20b/x?cursor=c"


@pytest.mark.parametrize(
    "path",
    ["https://elsewhere.test/v1", "http://api.example.test/v1", "https://api.example.test:8443/"],
)
def test_a_url_off_the_origin_is_unsendable(http: httpx.Client, path: str) -> None:
    with pytest.raises(Unsendable, match="is not on the target's origin"):
        prepare(http, "GET", path, {}, {})


def test_a_path_with_control_characters_is_unsendable(http: httpx.Client) -> None:
    with pytest.raises(Unsendable, match=r"is not a valid URL path: Invalid non-printable"):
        prepare(http, "GET", "/v1/a\nb", {}, {})
