"""All SQL of training providers and their programs, and who may read which provider."""

from __future__ import annotations

import uuid

from sqlalchemy import false
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.provider.models import TrainingProgram, TrainingProvider
from certboard_core.auth import Principal, Role
from certboard_core.db import add_unique


def acting_provider(principal: Principal) -> uuid.UUID | None:
    """The provider a caller acts for: its token's provider, if it holds the provider role."""
    if not principal.has(Role.PROVIDER) or principal.provider_id is None:
        return None
    try:
        return uuid.UUID(principal.provider_id)
    except ValueError:
        return None


class ProviderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[TrainingProvider]:
        """The providers ``principal`` may read: staff all, a provider itself, others none."""
        statement = select(TrainingProvider)
        if principal.has(Role.STAFF):
            return statement
        own = acting_provider(principal)
        if own is None:
            return statement.where(false())
        return statement.where(col(TrainingProvider.id) == own)

    async def readable_one(
        self, principal: Principal, provider_id: uuid.UUID
    ) -> TrainingProvider | None:
        """The provider, if ``principal`` may read it (to show it or to change it)."""
        statement = self.readable(principal).where(col(TrainingProvider.id) == provider_id)
        return (await self.session.exec(statement)).first()

    async def readable_all(self, principal: Principal) -> list[TrainingProvider]:
        """Every provider ``principal`` may read, by name."""
        statement = self.readable(principal).order_by(col(TrainingProvider.name))
        return list((await self.session.exec(statement)).all())

    async def for_delivery(self, provider_id: uuid.UUID) -> TrainingProvider | None:
        """The provider a webhook goes to: the service's own read, on behalf of no caller."""
        return await self.session.get(TrainingProvider, provider_id)

    async def programs_of(self, provider: TrainingProvider) -> list[TrainingProgram]:
        """The programs of a provider already read through ``readable``, by name."""
        statement = (
            select(TrainingProgram)
            .where(col(TrainingProgram.provider_id) == provider.id)
            .order_by(col(TrainingProgram.name))
        )
        return list((await self.session.exec(statement)).all())

    async def add(self, row: TrainingProvider | TrainingProgram) -> bool:
        """Store a new provider or program; False if its name is already taken."""
        return await add_unique(self.session, row)
