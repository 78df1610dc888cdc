"""Plain fields answered directly say exactly what graphql-core's own path says: the same data,
and the same error at the same path when a value does not fit its type."""

from __future__ import annotations

import datetime
import enum
from pathlib import Path
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType

from gateway.config import Settings
from gateway.schema.build import build_schema
from gateway.schema.executor import PLAIN, PlainFieldExecutor, mark_plain_fields


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    count: int
    colour: Colour
    colours: list[Colour]
    day: datetime.date
    note: str | None
    # Declared non-null, but the data may carry a null or a wrong value: the error path.
    strict: str
    number: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


def _item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "name": "a",
        "count": 2,
        "colour": Colour.RED,
        "colours": [Colour.BLUE, Colour.RED],
        "day": datetime.date(2024, 2, 29),
        "note": None,
        "strict": "s",
        "number": 7,
    }
    values.update(changes)
    return Item(**values)


ITEMS: list[Item] = []


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query, execution_context_class=PlainFieldExecutor)
    assert mark_plain_fields(plain._schema) == 8
    return strawberry.Schema(query=Query), plain


QUERY = """{ items { name count colour colours day note strict number shout again: name
  __typename } }"""


@pytest.mark.parametrize(
    "items",
    [
        [_item(), _item(name="b", note="n")],
        [_item(strict=None)],
        [_item(), _item(number="seven")],
        [_item(colours=[Colour.RED, None])],
        [_item(colours="red")],
        [_item(colour="green")],
        [],
    ],
    ids=["plain", "null", "bad-int", "null-in-list", "string-as-list", "bad-enum", "none"],
)
async def test_answers_and_errors_match_graphql_cores(items: list[Item]) -> None:
    ITEMS[:] = items
    usual, plain = _schemas()
    expected = await usual.execute(QUERY)
    answered = await plain.execute(QUERY)
    assert answered.data == expected.data
    assert [(e.message, e.path) for e in answered.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]


def test_the_gateway_marks_attribute_fields_and_not_resolved_ones(tmp_path: Path) -> None:
    schema = build_schema(Settings(environment="test", data_dir=tmp_path))._schema
    application = schema.type_map["Application"]
    assert isinstance(application, GraphQLObjectType)
    assert PLAIN in application.fields["status"].extensions
    assert PLAIN in application.fields["submittedOn"].extensions
    # Read on demand by a resolver, and an object: graphql-core's usual path.
    assert PLAIN not in application.fields["missing"].extensions
    assert PLAIN not in application.fields["deadlines"].extensions


async def test_plain_fields_build_no_resolve_info(monkeypatch: pytest.MonkeyPatch) -> None:
    ITEMS[:] = [_item(), _item(name="b")]
    built: list[str] = []
    real = PlainFieldExecutor.build_resolve_info

    def counting(self: PlainFieldExecutor, field_def: Any, *args: Any) -> Any:
        info = real(self, field_def, *args)
        built.append(info.field_name)
        return info

    monkeypatch.setattr(PlainFieldExecutor, "build_resolve_info", counting)
    _, plain = _schemas()
    assert (await plain.execute(QUERY)).errors is None
    # The list itself, and per item the resolved field and the type name: nothing else.
    assert sorted(built) == ["__typename", "__typename", "items", "shout", "shout"]
