"""Operation texts seen before skip parsing and validation; odd ones never stay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import DocumentNode, parse

from gateway.config import Settings
from gateway.schema.build import build_schema
from gateway.schema.operation_cache import MAX_TEXT, OperationCache


def _document(text: str) -> DocumentNode:
    return parse(text)


def test_the_cache_keeps_the_most_recently_used() -> None:
    cache = OperationCache(2)
    a, b, c = "{ a }", "{ b }", "{ c }"
    for text in (a, b):
        cache.keep(text, _document(text))
    assert cache.get(a) is not None  # a is now more recent than b
    cache.keep(c, _document(c))
    assert cache.get(b) is None
    assert cache.get(a) is not None
    assert cache.get(c) is not None


def test_long_texts_and_a_cache_of_none_keep_nothing() -> None:
    long = "{ a }" + " " * MAX_TEXT
    cache = OperationCache(2)
    cache.keep(long, _document(long))
    assert cache.get(long) is None
    empty = OperationCache(0)
    empty.keep("{ a }", _document("{ a }"))
    assert empty.get("{ a }") is None


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every operation text strawberry parses."""
    seen: list[str] = []
    real = strawberry_schema.parse

    def counting(source: Any, **options: Any) -> DocumentNode:
        seen.append(str(source))
        return real(source, **options)

    monkeypatch.setattr(strawberry_schema, "parse", counting)
    return seen


async def test_a_valid_operation_is_parsed_once(tmp_path: Path, parses: list[str]) -> None:
    schema = build_schema(Settings(environment="test", data_dir=tmp_path))
    for _ in range(3):
        result = await schema.execute("{ __typename }")
        assert result.errors is None
        assert result.data == {"__typename": "Query"}
    assert parses == ["{ __typename }"]


async def test_an_invalid_operation_is_refused_every_time(
    tmp_path: Path, parses: list[str]
) -> None:
    schema = build_schema(Settings(environment="test", data_dir=tmp_path, max_query_depth=1))
    deep = "{ application(id: 1) { deadlines { today } } }"
    for _ in range(2):
        result = await schema.execute(deep)
        assert result.errors
        assert "nested 2 levels deep" in result.errors[0].message
    assert parses == [deep, deep]


async def test_each_schema_has_its_own_cache(tmp_path: Path) -> None:
    lenient = build_schema(Settings(environment="test", data_dir=tmp_path))
    strict = build_schema(Settings(environment="test", data_dir=tmp_path, max_query_depth=1))
    nested = "{ application(id: 1) { deadlines { today } } }"
    # Valid for the lenient schema (it fails later, for want of a caller), so kept there.
    await lenient.execute(nested)
    result = await strict.execute(nested)
    assert result.errors
    assert "nested 2 levels deep" in result.errors[0].message
