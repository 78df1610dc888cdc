"""All SQL of renewals: the records and the fees they use."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.payment.models import CERTIFICATION_FEES, Payment
from applications.renewal.models import Renewal
from certboard_core.db import add_unique


class RenewalRepository:
    """Every query of renewals, for a certification the caller may already read."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, renewal: Renewal) -> bool:
        """Insert ``renewal``; False if its period was renewed already."""
        return await add_unique(self.session, renewal)

    async def of_certification(self, certification_id: uuid.UUID) -> list[Renewal]:
        """The certification's renewals, oldest first."""
        query = (
            select(Renewal)
            .where(Renewal.certification_id == certification_id)
            .order_by(col(Renewal.previous_valid_through))
        )
        return list((await self.session.exec(query)).all())

    async def unused_fees(self, application_id: uuid.UUID) -> list[Payment]:
        """Renewal, late and reinstatement fees recorded on the application and not yet used
        by a renewal, in the order paid."""
        query = (
            select(Payment)
            .where(Payment.application_id == application_id)
            .where(col(Payment.kind).in_(CERTIFICATION_FEES))
            .where(col(Payment.renewal_id).is_(None))
            .where(col(Payment.forfeited_at).is_(None))
            .order_by(col(Payment.paid_at), col(Payment.id))
        )
        return list((await self.session.exec(query)).all())

    async def use_fees(self, payment_ids: Sequence[uuid.UUID], renewal_id: uuid.UUID) -> int:
        """Mark the fees used by ``renewal_id``; how many were still unused (a racing renewal
        that took one first leaves fewer)."""
        connection = await self.session.connection()
        result = await connection.execute(
            update(Payment)
            .where(col(Payment.id).in_(payment_ids))
            .where(col(Payment.renewal_id).is_(None))
            .values(renewal_id=renewal_id)
        )
        return int(result.rowcount)
