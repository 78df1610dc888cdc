"""The lean reads of the CE ledger that progress over many people needs: plain columns, no
ORM objects, summed in the database where that saves reading every record."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.ce.models import CeRecord, CeRecordStatus
from applications.renewal.ce_rules import CeCategory

R = CeRecord


@dataclass(frozen=True)
class CountedHours:
    """What progress needs of one accepted record, and no more."""

    certification_id: uuid.UUID
    completed_on: date
    category: CeCategory
    hours: int


class LedgerSpan(NamedTuple):
    """Days of one certification's ledger, both ends included (a CE cycle); a named tuple,
    as progress makes one per person and cycle."""

    certification_id: uuid.UUID
    starts_on: date
    ends_on: date


class LedgerSums:
    """Accepted hours, per record or per span of days, for many certifications at once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def counted_hours(
        self, certification_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[CountedHours]]:
        """Per certification, the day, category and hours of each accepted record, by day:
        the lean read for progress over many people (plain columns, no ORM objects)."""
        if not certification_ids:
            return {}
        rows = await self.session.exec(
            select(col(R.certification_id), col(R.completed_on), col(R.category), col(R.hours))
            .where(col(R.certification_id).in_(certification_ids))
            .where(col(R.status) == CeRecordStatus.ACCEPTED)
            .order_by(col(R.certification_id), col(R.completed_on), col(R.id))
        )
        found: dict[uuid.UUID, list[CountedHours]] = {}
        for certification, completed_on, category, hours in rows.all():
            found.setdefault(certification, []).append(
                CountedHours(certification, completed_on, category, hours)
            )
        return found

    async def counted_hours_within(
        self, spans: Sequence[LedgerSpan]
    ) -> list[dict[CeCategory, int]]:
        """Per span, in order, the accepted hours completed within it by category:
        ``counted_hours`` summed in the database, so progress over many people reads a few
        rows per cycle instead of every record."""
        if not spans:
            return []
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            statement, values = _WITHIN_POSTGRESQL, _postgresql_spans(spans)
        else:
            statement, values = _WITHIN_SQLITE, {"spans": _json_spans(spans)}
        rows = await connection.execute(
            statement, {**values, "accepted": CeRecordStatus.ACCEPTED.value}
        )
        found: list[dict[CeCategory, int]] = [{} for _ in spans]
        for position, *hours in rows.all():
            found[position] = dict(zip(_ORDER, hours, strict=True))
        return found


# ``counted_hours``'s filter (accepted records of the certification, on its index by
# certification and day), summed per span with a column per category: one row per span, in
# the spans' order. The spans come in as one parameter, so the statement's text never
# changes: a JSON array on SQLite, three arrays on PostgreSQL.
_PER_CATEGORY = ",\n       ".join(
    f"SUM(CASE WHEN r.category = '{c.value}' THEN r.hours ELSE 0 END)" for c in CeCategory
)
# The f-strings hold only _PER_CATEGORY, made above from the enum's own values.
_WITHIN_SQLITE = text(
    f"""SELECT s.key AS position, {_PER_CATEGORY}
  FROM json_each(:spans) AS s
  JOIN ce_record AS r ON r.certification_id = s.value ->> 0
   AND r.completed_on BETWEEN s.value ->> 1 AND s.value ->> 2
 WHERE r.status = :accepted
 GROUP BY s.key"""  # noqa: S608
)
_WITHIN_POSTGRESQL = text(
    f"""SELECT s.n - 1 AS position, {_PER_CATEGORY}
  FROM unnest(CAST(:ids AS uuid[]), CAST(:starts AS date[]), CAST(:ends AS date[]))
       WITH ORDINALITY AS s(certification_id, starts_on, ends_on, n)
  JOIN ce_record AS r ON r.certification_id = s.certification_id
   AND r.completed_on BETWEEN s.starts_on AND s.ends_on
 WHERE r.status = :accepted
 GROUP BY s.n"""  # noqa: S608
)
_ORDER = tuple(CeCategory)


def _json_spans(spans: Sequence[LedgerSpan]) -> str:
    """As SQLite stores them: uuids as 32 hex digits, dates as ISO text (each day once: the
    spans of a chunk share a few hundred)."""
    days: dict[date, str] = {}

    def iso(day: date) -> str:
        text = days.get(day)
        if text is None:
            text = days[day] = day.isoformat()
        return text

    return json.dumps([[i.hex, iso(s), iso(e)] for i, s, e in spans])


def _postgresql_spans(spans: Sequence[LedgerSpan]) -> dict[str, Any]:
    return {
        "ids": [s.certification_id for s in spans],
        "starts": [s.starts_on for s in spans],
        "ends": [s.ends_on for s in spans],
    }
