"""All SQL of compliance: the current hours and signed-off sessions, summed per peer and day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    String,
    select,
    true,
    type_coerce,
)
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from supervision.agreement.models import SupervisionAgreement
from supervision.agreement.repository import signed_in_force
from supervision.compliance.models import ShortWeekReminder
from supervision.compliance.rules import DayActivity
from supervision.hours.models import HoursWorked
from supervision.session.models import SupervisionSession
from supervision.supervisor.models import Supervisor

H, S, A, Sup = HoursWorked, SupervisionSession, SupervisionAgreement, Supervisor
# One peer's days, in date order.
PeerDays = tuple[str, list[DayActivity]]


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


class ComplianceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _execute(self, query: Executable) -> Any:
        # Plain rows of a core query (the ORM session would wrap them for entities).
        return await (await self.session.connection()).execute(query)

    async def days(
        self,
        first: date,
        last: date,
        *,
        peers: Select[Any] | Sequence[str] | None,
    ) -> list[PeerDays]:
        """Every peer's days from ``first`` to ``last`` with current hours worked or current,
        signed-off sessions; ``peers`` narrows to some (None: all)."""
        # SQLite keeps dates as ISO text: read them as text and parse each peer's day once
        # below, not every row through SQLAlchemy's date processing.
        sqlite = (await self.session.connection()).dialect.name == "sqlite"

        def as_read(column: Any) -> Any:
            return type_coerce(column, String) if sqlite else column

        hours_where: ColumnElement[bool] = true()
        sessions_where: ColumnElement[bool] = true()
        if peers is not None:
            hours_where = col(H.peer_applicant_id).in_(peers)
            sessions_where = col(S.peer_applicant_id).in_(peers)
        # Two plain scans, summed per peer and day here and sorted per peer: cheaper on both
        # backends than a UNION ... GROUP BY (a temporary tree of every row) or reading in
        # index order (a table lookup per row).
        worked = select(
            col(H.peer_applicant_id), as_read(col(H.starts_on)), col(H.hundredths)
        ).where(
            col(H.superseded_at).is_(None),
            col(H.starts_on).between(first, last),
            hours_where,
        )
        supervised = select(
            col(S.peer_applicant_id), as_read(col(S.held_on)), col(S.minutes)
        ).where(
            col(S.superseded_at).is_(None),
            col(S.signed_off_at).is_not(None),
            col(S.held_on).between(first, last),
            sessions_where,
        )
        # peer -> day -> [hundredths worked, minutes supervised, sessions]
        peers_days: dict[str, dict[date | str, list[int]]] = {}
        for peer, day, hundredths in (await self._execute(worked)).all():
            days = peers_days.get(peer)
            if days is None:
                days = peers_days[peer] = {}
            slot = days.get(day)
            if slot is None:
                days[day] = [hundredths, 0, 0]
            else:
                slot[0] += hundredths
        for peer, day, minutes in (await self._execute(supervised)).all():
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
