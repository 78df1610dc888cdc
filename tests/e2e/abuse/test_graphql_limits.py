"""What one GraphQL request may ask of the gateway: each limit refuses with its own code."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import strawberry.schema.schema
from graphql import get_introspection_query

from certboard_core.testing.plugin import bearer

from .conftest import Board

# The defaults of gateway.config.Settings.
MAX_QUERY_BYTES = 100 * 1024
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_ROOT_FIELDS = 12


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the documents the gateway handed to graphql-core's parser."""
    sizes: list[int] = []
    parse = strawberry.schema.schema.parse

    def spy(source: Any, **kwargs: Any) -> Any:
        sizes.append(len(str(source)))
        return parse(source, **kwargs)

    monkeypatch.setattr(strawberry.schema.schema, "parse", spy)
    return sizes


async def _post(client: httpx.AsyncClient, query: str) -> tuple[int, dict[str, Any]]:
    response = await client.post("/graphql", json={"query": query})
    return response.status_code, response.json()


def _only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body["data"] is None, body
    [error] = body["errors"]
    return {**error["extensions"], "message": error["message"]}


def _multipart_operations(operations: object) -> dict[str, str]:
    return {"operations": json.dumps(operations), "map": "{}"}


async def test_a_huge_comment_only_query_is_refused_before_it_is_parsed(
    lone_gateway: httpx.AsyncClient, parsed: list[int]
) -> None:
    # The lexer skips comments, so the token limit never sees them: 20 MB took 2.5 s to parse.
    comment = "#" + "x" * (20 * 1024 * 1024)
    as_json = await lone_gateway.post("/graphql", json={"query": comment})
    as_multipart = await lone_gateway.post(
        "/graphql",
        data=_multipart_operations({"query": comment}),
        files={"0": ("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    for response in (as_json, as_multipart):
        assert response.status_code == 413
        error = _only_error(response.json())
        assert error["code"] == "QUERY_TOO_LARGE"
        assert error["status"] == 413
        assert str(MAX_QUERY_BYTES) in error["message"]
    assert parsed == []


async def test_the_query_cap_counts_bytes_and_lets_a_query_at_the_cap_through(
    lone_gateway: httpx.AsyncClient, parsed: list[int]
) -> None:
    query = "{ __typename }\n"
    at_cap = query + "#" + "x" * (MAX_QUERY_BYTES - len(query) - 1)
    status, body = await _post(lone_gateway, at_cap)
    assert (status, body) == (200, {"data": {"__typename": "Query"}})
    # Fewer characters than the cap, more bytes: "é" is two bytes in UTF-8.
    status, body = await _post(lone_gateway, query + "#" + "é" * (MAX_QUERY_BYTES // 2))
    assert status == 413
    assert _only_error(body)["code"] == "QUERY_TOO_LARGE"
    assert parsed == [MAX_QUERY_BYTES]


async def test_batches_are_refused_in_both_shapes_before_parsing(
    lone_gateway: httpx.AsyncClient, parsed: list[int]
) -> None:
    batch = [{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    as_json = await lone_gateway.post("/graphql", json=batch)
    as_multipart = await lone_gateway.post(
        "/graphql",
        data=_multipart_operations(batch),
        files={"0": ("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    for response in (as_json, as_multipart):
        assert response.status_code == 400
        error = _only_error(response.json())
        assert (error["code"], error["status"]) == ("BATCHING_NOT_SUPPORTED", 400)
    assert parsed == []


async def test_graphiql_s_own_introspection_query_is_answered(
    lone_gateway: httpx.AsyncClient,
) -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    status, body = await _post(lone_gateway, query)
    assert status == 200
    assert "errors" not in body, body["errors"]
    assert body["data"]["__schema"]["queryType"] == {"name": "Query", "kind": "OBJECT"}


def _nested(opening: str, levels: int, leaf: str = "name") -> str:
    return opening * levels + leaf + " }" * (levels * opening.count("{"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # Forty levels of types within fields: refused for the lists nested in it.
        (
            '{ __type(name: "Query") { ' + _nested("fields { type { ", 20) + " } }",
            "Maximum introspection depth exceeded",
        ),
        # Forty levels with no list at all: strawberry's depth limit skipped these entirely.
        ('{ __type(name: "Query") { ' + _nested("ofType { ", 40) + " } }", "introspection"),
        (
            "{ ...Deep } fragment Deep on Query { __schema { queryType { "
            + _nested("ofType { ", 40)
            + " } } }",
            "introspection",
        ),
    ],
)
async def test_deep_introspection_is_refused(
    lone_gateway: httpx.AsyncClient, query: str, message: str
) -> None:
    status, body = await _post(lone_gateway, query)
    assert status == 200
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"QUERY_TOO_DEEP"}
    assert any(message in e["message"] for e in body["errors"]), body["errors"]


async def test_operations_deeper_than_the_limit_are_refused(
    lone_gateway: httpx.AsyncClient,
) -> None:
    # Field names do not matter to the depth rule: it runs beside graphql-core's own.
    status, body = await _post(lone_gateway, "{ " + _nested("a { ", MAX_DEPTH + 1, "b") + " }")
    assert status == 200
    assert body["data"] is None
    messages = [e["message"] for e in body["errors"]]
    assert f"'anonymous' is nested {MAX_DEPTH + 1} levels deep; operation allows 10" in messages


async def test_aliases_beyond_the_limit_are_refused(lone_gateway: httpx.AsyncClient) -> None:
    # Below one root field, so that only the aliases count.
    allowed = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES))
    assert await _post(lone_gateway, f"{{ __schema {{ {allowed} }} }}") == (
        200,
        {"data": {"__schema": {f"a{i}": "__Schema" for i in range(MAX_ALIASES)}}},
    )
    status, body = await _post(lone_gateway, f"{{ __schema {{ {allowed} extra: __typename }} }}")
    assert status == 200
    error = _only_error(body)
    assert error["code"] == "TOO_MANY_ALIASES"
    assert error["message"] == "'anonymous' has 16 aliases; at most 15 are allowed"


async def test_root_fields_beyond_the_limit_are_refused_however_they_are_spread(
    lone_gateway: httpx.AsyncClient,
) -> None:
    fields = ["__typename"] * MAX_ROOT_FIELDS
    assert await _post(lone_gateway, "{ " + " ".join(fields) + " }") == (
        200,
        {"data": {"__typename": "Query"}},
    )
    # Without aliases: each root field is still a read the gateway would make.
    spread = "{ ...R __typename } fragment R on Query { " + " ".join(fields) + " }"
    status, body = await _post(lone_gateway, spread)
    assert status == 200
    error = _only_error(body)
    assert error["code"] == "TOO_MANY_ROOT_FIELDS"
    assert error["message"] == "'anonymous' asks for 13 root fields; at most 12 are allowed"


async def test_a_fragment_bomb_is_counted_once_per_fragment_and_refused(
    lone_gateway: httpx.AsyncClient,
) -> None:
    # Each fragment spreads the one before twice: 2^40 aliases if every spread were walked.
    fragments = ["fragment F0 on Query { a: __typename }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41)
    ]
    status, body = await _post(lone_gateway, "{ ...F40 } " + " ".join(fragments))
    assert status == 200
    error = _only_error(body)
    assert error["code"] == "TOO_MANY_ALIASES"
    assert error["message"] == f"'anonymous' has {2**40} aliases; at most 15 are allowed"


def _chain(length: int) -> str:
    spreads = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(length))
    return f"{{ ...F0 }} {spreads} fragment F{length} on Query {{ __typename }}"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            "Cannot spread fragment 'A' within itself via 'B'.",
        ),
        ("{ ...Undefined }", "Unknown fragment 'Undefined'."),
        # Chains of fragments: answered while graphql-core can follow them, refused beyond.
        (_chain(150), None),
        (_chain(210), "Validation aborted."),
    ],
)
async def test_fragment_cycles_unknowns_and_chains_are_validation_errors(
    lone_gateway: httpx.AsyncClient, query: str, message: str | None
) -> None:
    status, body = await _post(lone_gateway, query)
    assert status == 200
    if message is None:
        assert body == {"data": {"__typename": "Query"}}
        return
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}
    assert message in [e["message"] for e in body["errors"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ " + " ".join(["__typename"] * 2001) + " }", "more than 2000 tokens"),
        ("{ " + _nested("a { ", 300, "b") + " }", "nested too deeply"),
    ],
)
async def test_too_many_tokens_or_levels_fail_to_parse(
    lone_gateway: httpx.AsyncClient, query: str, message: str
) -> None:
    status, body = await _post(lone_gateway, query)
    assert status == 200
    error = _only_error(body)
    assert error["code"] == "GRAPHQL_PARSE_FAILED"
    assert message in error["message"]


async def test_page_sizes_beyond_the_maximum_are_coded_errors(board: Board, mint) -> None:
    staff = bearer(mint("staff", "s"))
    for first in (0, 201, 1_000_000):
        for query in (
            f"{{ applications(first: {first}) {{ items {{ id }} }} }}",
            f"{{ workQueue(name: FIRST_NOTIFICATION, first: {first}) {{ items {{ id }} }} }}",
            f"{{ unmatchedCertificates(first: {first}) {{ items {{ providerCertificateId }} }} }}",
        ):
            response = await board.gateway.post("/graphql", json={"query": query}, headers=staff)
            error = _only_error(response.json())
            assert (error["code"], error["status"], error["field"]) == (
                "VALIDATION_ERROR",
                422,
                "first",
            ), (query, error)
