"""All SQL of fees."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.payment.models import FeeKind, Payment
from certboard_core.db import add_unique


class PaymentRepository:
    """Every query of recorded fees."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, payment: Payment) -> bool:
        """Insert ``payment``; False if its reference is already recorded."""
        return await add_unique(self.session, payment)

    async def has_paid(self, application_id: uuid.UUID, kind: FeeKind) -> bool:
        """Whether a fee of ``kind`` is recorded for the application and not forfeited."""
        rows = await self.session.exec(
            select(Payment.id)
            .where(Payment.application_id == application_id)
            .where(Payment.kind == kind)
            .where(col(Payment.forfeited_at).is_(None))
            .limit(1)
        )
        return rows.first() is not None

    async def forfeit(self, applications: Select[uuid.UUID], at: datetime) -> None:
        """Mark the fees of the voided ``applications`` (a query of their ids) forfeited: kept
        on record, never refunded."""
        connection = await self.session.connection()  # Core: no ORM session to keep in step
        await connection.execute(
            update(Payment)
            .where(col(Payment.application_id).in_(applications))
            .where(col(Payment.forfeited_at).is_(None))
            .values(forfeited_at=at)
        )
