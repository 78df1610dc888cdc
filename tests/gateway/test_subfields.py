"""An operation's subfields are collected once and reused by the next request, unless a
directive could make them differ by request; the kept operations are bounded."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
import strawberry
from graphql.execution import executor as graphql_executor

from gateway.schema.executor import PlainFieldExecutor
from gateway.schema.operation_cache import CachedOperations, OperationCache
from gateway.schema.subfields import SUBFIELDS, SubfieldCache

from .test_plain_fields import ITEMS, Query, _item


def _schema(kept: int = 8) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=Query,
        execution_context_class=PlainFieldExecutor,
        extensions=[partial(CachedOperations, OperationCache(8), max_tokens=1000, rules=[])],
    )
    schema._schema.extensions[SUBFIELDS] = SubfieldCache(kept)
    return schema


@pytest.fixture
def collected(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The object types graphql-core collects subfields for, in order."""
    seen: list[str] = []
    real = graphql_executor.collect_subfields

    def counting(
        schema: Any, fragments: Any, variables: Any, operation: Any, kind: Any, *rest: Any
    ) -> Any:
        seen.append(kind.name)
        return real(schema, fragments, variables, operation, kind, *rest)

    monkeypatch.setattr(graphql_executor, "collect_subfields", counting)
    return seen


async def test_an_operation_s_subfields_are_collected_once(collected: list[str]) -> None:
    ITEMS[:] = [_item(), _item(name="b")]
    schema = _schema()
    query = "{ items { name ...more } } fragment more on Item { count }"
    answers = [(await schema.execute(query)).data for _ in range(3)]
    assert answers == [{"items": [{"name": "a", "count": 2}, {"name": "b", "count": 2}]}] * 3
    assert collected == ["Item"]


async def test_a_directive_anywhere_collects_again_each_time(collected: list[str]) -> None:
    ITEMS[:] = [_item()]
    schema = _schema()
    query = """query($x: Boolean!) { items { name ...more } }
      fragment more on Item { count @include(if: $x) }"""
    shown = await schema.execute(query, variable_values={"x": True})
    hidden = await schema.execute(query, variable_values={"x": False})
    assert shown.data == {"items": [{"name": "a", "count": 2}]}
    assert hidden.data == {"items": [{"name": "a"}]}
    assert collected == ["Item", "Item"]


async def test_only_the_most_recent_operations_are_kept(collected: list[str]) -> None:
    ITEMS[:] = [_item()]
    schema = _schema(kept=1)
    first, second = "{ items { name } }", "{ items { count } }"
    for query in (first, first, second, first):
        assert (await schema.execute(query)).errors is None
    # The first is kept, then pushed out by the second, then collected again.
    assert collected == ["Item", "Item", "Item"]
