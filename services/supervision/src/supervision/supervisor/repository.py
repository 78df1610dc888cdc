"""All SQL of the supervisor aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.auth import Principal, Role
from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page
from supervision.supervisor.models import Supervisor, Verification

S = Supervisor
BY_CREATED: Keyset[Supervisor] = Keyset(
    col(S.created_at), col(S.id), lambda s: (s.created_at, s.id), kinds=(datetime, str)
)


class SupervisorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[Supervisor]:
        """The supervisors ``principal`` may read: staff all, a supervisor their own record."""
        statement = select(S)
        if principal.has(Role.STAFF):
            return statement
        if principal.has(Role.SUPERVISOR):
            return statement.where(col(S.id) == principal.subject)
        return statement.where(false())

    async def readable_one(self, principal: Principal, supervisor_id: str) -> Supervisor | None:
        """The supervisor, if ``principal`` may read it (to show it or to change it)."""
        statement = self.readable(principal).where(col(S.id) == supervisor_id)
        return (await self.session.exec(statement)).first()

    async def get(self, supervisor_id: str) -> Supervisor | None:
        """A supervisor by id, whoever asks (for decisions about agreements)."""
        return await self.session.get(S, supervisor_id)

    async def get_many(self, supervisor_ids: Iterable[str]) -> dict[str, Supervisor]:
        """The supervisors of these ids, by id (one query for a page of agreements)."""
        wanted = set(supervisor_ids)
        if not wanted:
            return {}
        rows = (await self.session.exec(select(S).where(col(S.id).in_(wanted)))).all()
        return {row.id: row for row in rows}

    async def lock(self, supervisor_id: str) -> None:
        """Hold the supervisor's row until commit (PostgreSQL; SQLite writes one transaction at
        a time: BEGIN IMMEDIATE), so that two sessions logged for the supervisor at the same
        moment are checked for overlap one after the other, each seeing the other's row."""
        query = select(col(S.id)).where(col(S.id) == supervisor_id)
        await self.session.exec(query.with_for_update())

    async def add(self, supervisor: Supervisor) -> bool:
        """Store a new supervisor; False if this user already has a record."""
        return await add_unique(self.session, supervisor)

    async def page(
        self,
        principal: Principal,
        *,
        verification: Verification | None,
        after: str | None,
        limit: int,
    ) -> Page[Supervisor]:
        """Readable supervisors, oldest record first."""
        statement = self.readable(principal)
        if verification is not None:
            statement = statement.where(col(S.verification) == verification)
        query = cast(
            SelectOfScalar[Supervisor], BY_CREATED.query(statement, after=after, limit=limit)
        )
        return BY_CREATED.page((await self.session.exec(query)).all(), limit=limit)
