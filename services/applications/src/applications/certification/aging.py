"""Writing the statuses time has given certifications (active, in renewal window, lapsed,
expired, terminated), many at once, for the sweep.

Reads never wait for it (``views`` computes the standing when read); it makes the stored
status, the audit trail and the ``certification.status_changed`` events others hear catch
up. As ``application/closing.py`` closes applications: per chunk, one ``SELECT`` picks the
rows whose stored status is not the one time gives (``renewal.timeline``'s cut-offs, as one
``CASE``) and one ``UPDATE`` writes it; the audit records and events follow as one
``INSERT ... SELECT`` each from the changed rows handed over as one parameter. Discipline's
statuses are never touched, but for a suspension past its last day, which stands as time
says from then on. A second run finds every row already right.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import String, and_, case, cast, or_, select, update
from sqlalchemy.sql import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.models import Certification
from applications.certification.rules import DISCIPLINE
from applications.certification.rules import CertificationStatus as S
from applications.renewal.policy import RenewalPolicy
from applications.renewal.timeline import status_cutoffs
from certboard_core.audit import AuditColumns, record_audit_rows
from certboard_core.ids import new_ids
from certboard_core.outbox import EventColumns, Outbox
from certboard_core.rowset import RowSet, constant, json_object

STATUS_CHANGED = "certification.status_changed"


class Moved(NamedTuple):
    """A certification whose stored status time moved, and the id of the event announcing
    it. ``id`` and ``event_id`` as 32 hex digits (cast back to ids); ``key`` and
    ``application_id`` as ``str(uuid)`` writes them (only ever written as text: made here
    once, cheaper than the database's string functions would make them, twice, per row)."""

    id: str
    key: str
    number: str
    application_id: str
    was: str
    now: str
    version: int
    event_id: str


def dashed(hex_digits: str) -> str:
    """32 hex digits in the 8-4-4-4-12 form."""
    h = hex_digits
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _both(text: str) -> tuple[str, str]:
    """An id as the database returned it as text (hex on SQLite, dashed on PostgreSQL):
    hex and dashed."""
    if len(text) == 32:
        return text, dashed(text)
    return text.replace("-", ""), text


def time_status(today: date, policy: RenewalPolicy) -> ColumnElement[Any]:
    """The status time gives each certification on ``today``, as one ``CASE`` over its
    valid-through day (``timeline.status_on`` in SQL)."""
    valid_through = Certification.__table__.c.valid_through  # type: ignore[attr-defined]
    whens: list[tuple[ColumnElement[bool], str]] = []
    for cutoff in status_cutoffs(today, policy):
        if cutoff.lowest is None:  # every earlier day: the rest can never be reached
            return case(*whens, else_=cutoff.status.value)
        whens.append((valid_through >= cutoff.lowest, cutoff.status.value))
    raise AssertionError("the last cutoff has no bound")


async def move_statuses(
    session: AsyncSession,
    *,
    today: date,
    now: datetime,
    policy: RenewalPolicy,
    outbox: Outbox,
    actor: str,
    limit: int,
) -> int:
    """Write the status time gives on ``today`` to up to ``limit`` certifications whose stored
    one differs, with their audit records and events; return how many."""
    moved = await _update(session, today=today, policy=policy, limit=limit)
    if not moved:
        return 0
    dialect = (await session.connection()).dialect.name
    rows = RowSet.of(dialect, Moved, moved)
    await _audit(session, rows, actor=actor, at=now)
    await _announce(session, rows, today=today, at=now, outbox=outbox)
    return len(moved)


async def _update(
    session: AsyncSession, *, today: date, policy: RenewalPolicy, limit: int
) -> list[Moved]:
    """The status change itself: the chunk selected with its stored status, then one
    ``UPDATE`` of it (SQLite's ``RETURNING`` cannot read an ``UPDATE ... FROM``'s source, so
    the status before comes from the selection)."""
    t = Certification.__table__  # type: ignore[attr-defined]
    by_time = time_status(today, policy)
    connection = await session.connection()
    # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): parallel workers each take rows
    # no other has taken, and the status read under the lock is the one changed.
    due = await connection.execute(
        select(cast(t.c.id, String), cast(t.c.status, String))
        .where(
            or_(
                t.c.status.not_in([s.value for s in DISCIPLINE]),
                # A suspension over after its last day stands as time says.
                and_(t.c.status == S.SUSPENDED.value, t.c.suspended_through < today),
            )
        )
        .where(t.c.status != by_time)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    was = {i.replace("-", ""): w for i, w in due.all()}
    if not was:
        return []
    chunk = RowSet(connection.dialect.name, ("id",), ([i] for i in was))
    result = await connection.execute(
        update(t)
        .where(t.c.id.in_(select(chunk.uuid("id")).select_from(chunk.table)))
        .values(status=by_time, suspended_through=None, version=t.c.version + 1)
        # As text: the rows go straight back to the database, so converting them is waste.
        .returning(
            cast(t.c.id, String),
            t.c.number,
            cast(t.c.application_id, String),
            cast(t.c.status, String),
            t.c.version,
        )
    )
    found = result.all()
    moved = []
    for (i, n, a, s, v), event_id in zip(found, new_ids(len(found)), strict=True):
        hex_id, key = _both(i)
        moved.append(Moved(hex_id, key, n, _both(a)[1], was[hex_id], s, v, event_id))
    return moved


async def _audit(session: AsyncSession, rows: RowSet, *, actor: str, at: datetime) -> None:
    """One audit record per moved certification: its status and version, before and after."""
    version = rows.integer("version")
    await record_audit_rows(
        session,
        AuditColumns(
            constant(actor),
            constant(STATUS_CHANGED),
            constant("certification"),
            rows.text("key"),
            json_object(constant("status"), rows.text("was"), constant("version"), version - 1),
            json_object(constant("status"), rows.text("now"), constant("version"), version),
        ),
        source=rows.table,
        at=at,
    )


async def _announce(
    session: AsyncSession, rows: RowSet, *, today: date, at: datetime, outbox: Outbox
) -> None:
    """One ``certification.status_changed`` event per moved certification (employers who
    enrol a certification hear of every status change, domain.md §Discipline)."""
    certification_id = rows.text("key")
    await outbox.publish_rows(
        session,
        STATUS_CHANGED,
        EventColumns(
            rows.uuid("event_id"),
            constant("certification"),
            certification_id,
            json_object(
                *(constant("certification_id"), certification_id),
                *(constant("number"), rows.text("number")),
                *(constant("application_id"), rows.text("application_id")),
                *(constant("from"), rows.text("was"), constant("to"), rows.text("now")),
                *(constant("on"), constant(today.isoformat())),
            ),
        ),
        source=rows.table,
        at=at,
    )
