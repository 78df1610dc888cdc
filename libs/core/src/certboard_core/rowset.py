"""Many rows as one parameter: a JSON array that the database reads back as a table.

Set-wise writes (``INSERT ... SELECT`` from a row set) cost one bound parameter however many
rows there are, where an executemany binds and converts every value in Python. Values travel
as JSON: ids as 32 hex digits (what SQLite stores for a UUID, and what PostgreSQL's uuid
input reads), JSON documents nested as they are; dates and instants are better bound once
as constants of the statement.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import JSON, Integer, String, Uuid, bindparam, cast, func, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, FromClause
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class Record(Protocol):
    """A row type whose field names are its columns: any ``typing.NamedTuple``."""

    _fields: tuple[Any, ...]


R = TypeVar("R", bound=Record)


class RowSet:
    """``rows`` (sequences in the order of ``columns``; see ``of`` for named tuples) as a
    table for one statement."""

    def __init__(
        self, dialect: str, columns: Sequence[str], rows: Iterable[Sequence[Any] | Record]
    ) -> None:
        self.dialect = dialect
        self._position = {name: i for i, name in enumerate(columns)}
        # Compact: no spaces for the database to read past, row after row.
        data = json.dumps(list(rows), default=_json_default, separators=(",", ":"))
        param = bindparam("rows", data, String, unique=True)
        elements = (
            func.json_array_elements(cast(param, JSON))
            if dialect == "postgresql"
            else func.json_each(param)
        )
        self.table: FromClause = elements.table_valued("value").alias()

    @classmethod
    def of(cls, dialect: str, record: type[R], rows: Iterable[R]) -> RowSet:
        """``rows`` of one NamedTuple type, each column named by its field (a named tuple is a
        tuple: it goes into the JSON array as it is)."""
        return cls(dialect, record._fields, rows)

    def text(self, name: str) -> ColumnElement[str]:
        at: ColumnElement[Any] = literal_column(str(self._position[name]))
        return self.table.c.value.op("->>", return_type=String)(at)

    def integer(self, name: str) -> ColumnElement[int]:
        return cast(self.text(name), Integer)

    def uuid(self, name: str) -> ColumnElement[uuid.UUID]:
        return cast(self.text(name), Uuid)

    def uuid_text(self, name: str) -> ColumnElement[str]:
        """An id in its usual text form (with dashes), as ``str(uuid)`` writes it."""
        return uuid_text(self.dialect, self.text(name))

    def document(self, name: str) -> ColumnElement[Any]:
        """A nested JSON value (an object, say), as JSON."""
        at: ColumnElement[Any] = literal_column(str(self._position[name]))
        return self.table.c.value.op("->", return_type=JSON)(at)


def _json_default(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return value.hex
    raise TypeError(f"{type(value).__name__} does not go into a row set")


def uuid_text(dialect: str, hex_digits: ColumnElement[str]) -> ColumnElement[str]:
    """32 hex digits in the 8-4-4-4-12 form."""
    if dialect == "postgresql":
        return cast(cast(hex_digits, Uuid), String)
    parts = [func.substr(hex_digits, start, size) for start, size in _GROUPS]
    joined: ColumnElement[str] = parts[0]
    for part in parts[1:]:
        joined = joined.concat("-").concat(part)
    return joined


_GROUPS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


def constant(value: str) -> ColumnElement[str]:
    """A string with a declared type: PostgreSQL infers none inside a JSON object."""
    return cast(literal(value, String), String)


class json_object(FunctionElement[Any]):  # noqa: N801 - an SQL function, named as in SQL
    """A JSON object built by the database from alternating keys and values."""

    type = JSON()
    inherit_cache = True


@compiles(json_object)
def _json_object(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "postgresql")
def _json_build_object(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"
