"""Decisions about supervision agreements; the request's session commits what these flush."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import Clock
from supervision import rules
from supervision.agreement.repository import AgreementRepository
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.policy import SupervisionPolicy


async def find_active_agreement(
    session: AsyncSession,
    *,
    applicant_id: str,
    on: date | None,
    clock: Clock,
    policy: SupervisionPolicy,
) -> ActiveAgreementAnswer:
    """Whether ``applicant_id`` has an agreement in force on ``on`` (default: today locally)."""
    day = on if on is not None else rules.local_date(clock.now(), policy)
    agreement = await AgreementRepository(session).find_active(applicant_id, day)
    return ActiveAgreementAnswer(
        applicant_id=applicant_id,
        on=day,
        active=agreement is not None,
        agreement_id=agreement.id if agreement is not None else None,
    )
