"""All SQL of compliance: current hours and signed-off sessions per peer and day, and the
peers' week summaries kept from them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    String,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from supervision.agreement.models import SupervisionAgreement
from supervision.agreement.repository import signed_in_force
from supervision.compliance.models import PeerWeek, ShortWeekReminder
from supervision.compliance.rules import DayActivity, WeekSummary, summarize_week
from supervision.hours.models import HoursWorked
from supervision.session.models import SupervisionSession
from supervision.supervisor.models import Supervisor

H, S, A, W = HoursWorked, SupervisionSession, SupervisionAgreement, PeerWeek
Sup = Supervisor
# One peer's days, in date order; one peer's weeks, in week order.
PeerDays = tuple[str, list[DayActivity]]
PeerWeeks = tuple[str, list[WeekSummary]]
_PEER = itemgetter(0)


class Contact(NamedTuple):
    """A supervisor and their contact email (None on records made before it was asked for)."""

    supervisor_id: str
    email: str | None


def supervisees(supervisor_id: str, peer: str | None = None) -> Select[Any]:
    """The peers who have (or had) an agreement with the supervisor (only ``peer``, if given)."""
    query = select(col(A.peer_applicant_id)).where(col(A.supervisor_id) == supervisor_id)
    return query if peer is None else query.where(col(A.peer_applicant_id) == peer)


def _date(day: date | str) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)


def date_reader(dialect: str) -> Callable[[Any], Any]:
    """How to select a date column on ``dialect``: SQLite keeps dates as ISO text, read as text
    and parsed once per peer and day in Python, not every row by SQLAlchemy's processing."""
    if dialect == "sqlite":
        return lambda column: type_coerce(column, String)
    return lambda column: column


def current_rows(
    first: date | None,
    last: date | None,
    peers: Select[Any] | Sequence[str] | None,
    as_read: Callable[[Any], Any],
) -> tuple[Select[Any], Select[Any]]:
    """(peer, day, hundredths) of current hours and (peer, day, minutes) of current, signed-off
    sessions, from ``first`` to ``last`` (None: all) of ``peers`` (None: all)."""
    hours_where: list[ColumnElement[bool]] = [col(H.superseded_at).is_(None)]
    sessions_where: list[ColumnElement[bool]] = [
        col(S.superseded_at).is_(None),
        col(S.signed_off_at).is_not(None),
    ]
    if first is not None and last is not None:
        hours_where.append(col(H.starts_on).between(first, last))
        sessions_where.append(col(S.held_on).between(first, last))
    if peers is not None:
        hours_where.append(col(H.peer_applicant_id).in_(peers))
        sessions_where.append(col(S.peer_applicant_id).in_(peers))
    worked = select(col(H.peer_applicant_id), as_read(col(H.starts_on)), col(H.hundredths)).where(
        *hours_where
    )
    supervised = select(col(S.peer_applicant_id), as_read(col(S.held_on)), col(S.minutes)).where(
        *sessions_where
    )
    return worked, supervised


def peer_days(
    worked: Iterable[Sequence[Any]], supervised: Iterable[Sequence[Any]]
) -> list[PeerDays]:
    """The rows of ``current_rows`` summed per peer and day, in peer and day order."""
    # peer -> day -> [hundredths worked, minutes supervised, sessions]
    peers_days: dict[str, dict[date | str, list[int]]] = {}
    for peer, day, hundredths in worked:
        days = peers_days.get(peer)
        if days is None:
            days = peers_days[peer] = {}
        slot = days.get(day)
        if slot is None:
            days[day] = [hundredths, 0, 0]
        else:
            slot[0] += hundredths
    for peer, day, minutes in supervised:
        days = peers_days.get(peer)
        if days is None:
            days = peers_days[peer] = {}
        slot = days.get(day)
        if slot is None:
            days[day] = [0, minutes, 1]
        else:
            slot[1] += minutes
            slot[2] += 1
    return [
        (peer, [DayActivity(_date(day), *slot) for day, slot in sorted(days.items())])
        for peer, days in sorted(peers_days.items())
    ]


class ComplianceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _execute(self, query: Executable) -> Any:
        # Plain rows of a core query (the ORM session would wrap them for entities).
        return await (await self.session.connection()).execute(query)

    async def _as_read(self) -> Callable[[Any], Any]:
        return date_reader((await self.session.connection()).dialect.name)

    async def days(
        self,
        first: date,
        last: date,
        *,
        peers: Select[Any] | Sequence[str] | None,
    ) -> list[PeerDays]:
        """Every peer's days from ``first`` to ``last`` with current hours worked or current,
        signed-off sessions; ``peers`` narrows to some (None: all)."""
        # Two plain scans, summed per peer and day in Python: cheaper on both backends than a
        # UNION ... GROUP BY (a temporary tree of every row) or reading in index order.
        worked, supervised = current_rows(first, last, peers, await self._as_read())
        return peer_days(
            (await self._execute(worked)).all(), (await self._execute(supervised)).all()
        )

    async def weeks(
        self,
        first: date,
        last: date,
        *,
        peers: Select[Any] | Sequence[str] | None,
    ) -> list[PeerWeeks]:
        """Every peer's week summaries from ``first`` to ``last`` (Mondays), in peer and week
        order; ``peers`` narrows to some (None: all)."""
        query = (
            select(*(col(getattr(W, name)) for name in ("peer_applicant_id", *WeekSummary._fields)))
            .where(col(W.week_starts_on).between(first, last))
            .order_by(col(W.peer_applicant_id), col(W.week_starts_on))
        )
        if peers is not None:
            query = query.where(col(W.peer_applicant_id).in_(peers))
        rows = (await self._execute(query)).all()
        # A quarter million rows a year for everyone: ordered by the database, grouped by
        # itertools, one tuple made per row (SQLAlchemy parses SQLite's dates, once a row).
        make = WeekSummary._make
        return [(peer, [make(row[1:]) for row in group]) for peer, group in groupby(rows, _PEER)]

    async def lock_week(self, peer: str, monday: date) -> None:
        """Hold the peer's row of that week (made empty if missing) until the transaction ends:
        two writers of the same week queue here, so the second reads what the first wrote."""
        dialect = (await self.session.connection()).dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        empty = summarize_week(monday, [])._asdict()
        statement = insert(W).values(peer_applicant_id=peer, **empty)
        # A no-op update of an existing row still takes its row lock (PostgreSQL); SQLite
        # holds the whole database for a writer already.
        await self._execute(
            statement.on_conflict_do_update(
                index_elements=[col(W.peer_applicant_id), col(W.week_starts_on)],
                set_={"sessions": col(W.sessions)},
            )
        )

    async def save_week(self, peer: str, week: WeekSummary) -> None:
        """Write the peer's summary of ``week`` over the row ``lock_week`` holds."""
        values = week._asdict()
        monday = values.pop("week_starts_on")
        await self._execute(
            update(W)
            .where(col(W.peer_applicant_id) == peer, col(W.week_starts_on) == monday)
            .values(**values)
        )

    async def supervisors_of(
        self, peers: Sequence[str], first: date, last: date
    ) -> dict[str, list[Contact]]:
        """Each peer's supervisors under agreements in force from ``first`` to ``last`` (not a
        former one from years back), with where to mail them."""
        query = (
            select(col(A.peer_applicant_id), col(A.supervisor_id), col(Sup.contact_email))
            .outerjoin(Sup, col(Sup.id) == col(A.supervisor_id))
            .where(col(A.peer_applicant_id).in_(peers), signed_in_force(first, last))
            .distinct()
            .order_by(col(A.peer_applicant_id), col(A.supervisor_id))
        )
        found: dict[str, list[Contact]] = {}
        for peer, supervisor, email in await self._execute(query):
            found.setdefault(peer, []).append(Contact(supervisor, email))
        return found

    async def reminded(self, first: date, last: date) -> set[tuple[str, date]]:
        """The (peer, week) pairs already reminded about, for weeks from ``first`` to ``last``."""
        reminder = ShortWeekReminder
        query = select(col(reminder.peer_applicant_id), col(reminder.week_starts_on)).where(
            col(reminder.week_starts_on).between(first, last)
        )
        return {(peer, week) for peer, week in await self._execute(query)}
