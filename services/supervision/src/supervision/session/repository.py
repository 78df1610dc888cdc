"""All SQL of the supervision session aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, not_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.pagination import Keyset, Page
from supervision.session.models import SessionFormat, SupervisionSession

S = SupervisionSession
KEYSET: Keyset[SupervisionSession] = Keyset(
    sort=col(S.starts_at), tiebreak=col(S.id), key=lambda row: (row.starts_at, row.id)
)


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overlapping(
        self,
        supervisor_id: str,
        starts_at: datetime,
        stops_at: datetime,
        *,
        group: bool,
        excluding: uuid.UUID | None = None,
    ) -> SupervisionSession | None:
        """A current session of the supervisor that overlaps ``[starts_at, stops_at)``.

        A group session with exactly the same times is the same meeting with another peer,
        so it does not count against another group entry.
        """
        query = select(S).where(
            S.supervisor_id == supervisor_id,
            col(S.superseded_at).is_(None),
            col(S.starts_at) < stops_at,
            col(S.stops_at) > starts_at,
        )
        if excluding is not None:
            query = query.where(S.id != excluding)
        if group:
            same_meeting = and_(
                col(S.format) == SessionFormat.GROUP,
                col(S.starts_at) == starts_at,
                col(S.stops_at) == stops_at,
            )
            query = query.where(not_(same_meeting))
        return (await self.session.exec(query.limit(1))).first()

    async def of_agreements(
        self, scope: ColumnElement[bool], agreement_ids: Sequence[uuid.UUID]
    ) -> Sequence[SupervisionSession]:
        """The current sessions of ``agreement_ids`` that ``scope`` lets the caller see, by
        start time."""
        query = select(S).where(
            scope, col(S.agreement_id).in_(agreement_ids), col(S.superseded_at).is_(None)
        )
        return (await self.session.exec(query.order_by(KEYSET.sort, KEYSET.tiebreak))).all()

    async def page(
        self,
        scope: ColumnElement[bool],
        *,
        agreement_id: uuid.UUID | None,
        peer_applicant_id: str | None,
        held_from: date | None,
        held_to: date | None,
        include_superseded: bool,
        awaiting_sign_off: bool,
        after: str | None,
        limit: int,
    ) -> Page[SupervisionSession]:
        """One page of the sessions ``scope`` lets the caller see, by start time."""
        query = select(S).where(scope)
        if awaiting_sign_off:
            query = query.where(col(S.signed_off_at).is_(None))
        if agreement_id is not None:
            query = query.where(S.agreement_id == agreement_id)
        if peer_applicant_id is not None:
            query = query.where(S.peer_applicant_id == peer_applicant_id)
        if held_from is not None:
            query = query.where(col(S.held_on) >= held_from)
        if held_to is not None:
            query = query.where(col(S.held_on) <= held_to)
        if not include_superseded:
            query = query.where(col(S.superseded_at).is_(None))
        rows = (await self.session.exec(KEYSET.query(query, after=after, limit=limit))).all()
        return KEYSET.page(rows, limit=limit)
