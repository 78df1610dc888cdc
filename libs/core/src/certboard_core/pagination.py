"""Keyset pagination: pages ordered by (a sort key, the row's id), with opaque cursors.

No OFFSET scans: each page starts where the last one ended, so reading page 1,000 costs what
reading page 1 does, and rows added meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import Mapped
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.errors import InvalidInput

T = TypeVar("T")
Row = TypeVar("Row")
Query = TypeVar("Query", Select[Any], SelectOfScalar[Any])
Column = ColumnElement[Any] | Mapped[Any]
Key = tuple[Any, Any]


def encode_cursor(*parts: object) -> str:
    """An opaque cursor for the key ``parts`` (dates, datetimes, UUIDs, strings)."""
    raw = "|".join(p.isoformat() if isinstance(p, date | datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """Undo ``encode_cursor`` for values of ``kinds``; a cursor we never issued is refused."""
    try:
        parts = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if len(parts) != len(kinds):
            raise ValueError("wrong arity")
        return tuple(
            kind.fromisoformat(p) if kind in (date, datetime) else kind(p)
            for kind, p in zip(kinds, parts, strict=True)
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("the cursor is not one this API returned", field="after") from exc


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and the cursor of the next (None on the last page)."""

    items: list[T]
    next_cursor: str | None

    def map(self, convert: Callable[[T], Row]) -> Page[Row]:
        """The same page with each item converted (a row to its public shape, say)."""
        return Page([convert(item) for item in self.items], self.next_cursor)


@dataclass(frozen=True)
class Keyset(Generic[Row]):
    """How one listing is ordered: ascending ``sort``, then ``tiebreak`` (a unique id).

    ``key`` reads the same two values off a row, and ``kinds`` says how to read them back out
    of a cursor.
    """

    sort: Column
    tiebreak: Column
    key: Callable[[Row], Key]
    kinds: tuple[type, type] = (datetime, uuid.UUID)

    def query(self, query: Query, *, after: str | None, limit: int) -> Query:
        """``query`` ordered, started after the cursor, asking one row more than a page."""
        if after is not None:
            value, ident = decode_cursor(after, *self.kinds)
            query = query.where(
                or_(self.sort > value, and_(self.sort == value, self.tiebreak > ident))
            )
        return query.order_by(self.sort, self.tiebreak).limit(limit + 1)

    def page(self, rows: Sequence[Row], *, limit: int) -> Page[Row]:
        """The page from the rows ``query`` returned (one more than ``limit`` means more)."""
        items = list(rows[:limit])
        more = len(rows) > limit and items
        return Page(items, encode_cursor(*self.key(items[-1])) if more else None)
