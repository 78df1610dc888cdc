"""Recording fees, and forfeiting them when an application is voided."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.payment.models import FeeKind, Payment
from applications.payment.schemas import PaymentCreate
from certboard_core.audit import record_audit
from certboard_core.db import add_unique
from certboard_core.errors import Conflict


class DuplicatePayment(Conflict):
    code = "DUPLICATE_PAYMENT"


async def record_payment(
    session: AsyncSession,
    *,
    application: Application,
    data: PaymentCreate,
    actor: str,
    at: datetime,
) -> Payment:
    """Record a fee the board has received; a reference is recorded only once."""
    payment = Payment(
        application_id=application.id,
        **data.model_dump(),
        recorded_by=actor,
        recorded_at=at,
    )
    if not await add_unique(session, payment):
        raise DuplicatePayment(
            f"a payment with reference {data.reference!r} is already recorded", field="reference"
        )
    await record_audit(
        session,
        actor=actor,
        action="payment.recorded",
        entity_type="application",
        entity_id=str(application.id),
        before=None,
        after=payment.model_dump(mode="json"),
        at=at,
    )
    return payment


async def payments_for(session: AsyncSession, application_id: uuid.UUID) -> list[Payment]:
    rows = await session.exec(
        select(Payment)
        .where(Payment.application_id == application_id)
        .order_by(col(Payment.paid_at), col(Payment.id))
    )
    return list(rows.all())


async def has_paid(session: AsyncSession, application_id: uuid.UUID, kind: FeeKind) -> bool:
    rows = await session.exec(
        select(Payment.id)
        .where(Payment.application_id == application_id)
        .where(Payment.kind == kind)
        .where(col(Payment.forfeited_at).is_(None))
        .limit(1)
    )
    return rows.first() is not None


async def forfeit(session: AsyncSession, applications: Select[uuid.UUID], at: datetime) -> None:
    """Mark the fees of the voided ``applications`` (a query of their ids) forfeited: kept on
    record, never refunded."""
    connection = await session.connection()  # Core: no ORM session to keep in step
    await connection.execute(
        update(Payment)
        .where(col(Payment.application_id).in_(applications))
        .where(col(Payment.forfeited_at).is_(None))
        .values(forfeited_at=at)
    )
