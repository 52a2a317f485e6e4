"""The walk reads its link from the fragment and evaluates it as OpenAPI says."""

from __future__ import annotations

import pytest

from conformance.properties.links import CURSOR_SOURCE, MISSING, Link, evaluate, next_page_link


@pytest.mark.parametrize("route", ["project", "team"])
def test_the_next_page_link_comes_from_the_fragment(route: str) -> None:
    link = next_page_link(route)  # type: ignore[arg-type]
    assert link.parameters["query.cursor"] == CURSOR_SOURCE
    assert link.parameters["path.projectId"] == "$request.path.projectId"
    assert ("path.teamId" in link.parameters) is (route == "team")


def test_expressions_read_the_request_and_the_response_body() -> None:
    path, query = {"projectId": "p"}, {"per_page": "3"}
    body = {"pagination": {"cursor": "abc", "a/b": 1}, "list": ["x", "y"]}
    assert evaluate("$request.path.projectId", path, query, body) == "p"
    assert evaluate("$request.query.per_page", path, query, body) == "3"
    assert evaluate("$request.query.runId", path, query, body) is MISSING
    assert evaluate("$response.body#/pagination/cursor", path, query, body) == "abc"
    assert evaluate("$response.body#/pagination/a~1b", path, query, body) == 1
    assert evaluate("$response.body#/list/1", path, query, body) == "y"
    assert evaluate("$response.body#/list/7", path, query, body) is MISSING
    assert evaluate("constant", path, query, body) == "constant"
    with pytest.raises(ValueError, match="not supported"):
        evaluate("$response.header.Link", path, query, body)


LINK = Link(
    "next",
    {
        "path.projectId": "$request.path.projectId",
        "query.per_page": "$request.query.per_page",
        "query.runId": "$request.query.runId",
        "query.cursor": CURSOR_SOURCE,
    },
)


def test_a_link_carries_what_it_names_and_drops_what_the_request_lacked() -> None:
    body = {"pagination": {"hasNextPage": True, "cursor": "c2"}}
    following = LINK.evaluate({"projectId": "p"}, {"per_page": "3", "page": "9"}, body)
    assert following == ({"projectId": "p"}, {"per_page": "3", "cursor": "c2"})


@pytest.mark.parametrize("pagination", [{"hasNextPage": True}, {"cursor": None}])
def test_a_link_without_its_response_value_cannot_be_followed(
    pagination: dict[str, object],
) -> None:
    assert LINK.evaluate({"projectId": "p"}, {}, {"pagination": pagination}) is None


def test_the_link_walk_is_the_one_walker_following_the_link() -> None:
    """The property walk's pages go through conformance.walker: same outcomes, same identity."""
    from tests.properties.harness import run_properties

    outcome = run_properties(options={"fuzz_examples": 1})
    for link_walk in outcome.run.walks:
        assert link_walk.walk.outcome in ("complete", "cap")
        assert len(link_walk.walk.pages) == len(link_walk.steps)
        for page, step in zip(link_walk.walk.pages, link_walk.steps, strict=True):
            assert page.exchange is step.exchange
        later = link_walk.steps[1:]
        earlier = link_walk.walk.pages[:-1]
        for page, step in zip(earlier, later, strict=False):
            assert step.exchange.params["cursor"] == page.cursor  # the link took this cursor
