"""Decisions about supervision agreements; the request's session commits what these flush."""

from __future__ import annotations

from datetime import date

from supervision.agreement.repository import AgreementRepository
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.deps import ActionContext


async def find_active_agreement(
    ctx: ActionContext, *, applicant_id: str, on: date | None
) -> ActiveAgreementAnswer:
    """Whether ``applicant_id`` has an agreement in force on ``on`` (default: today locally)."""
    day = on if on is not None else ctx.today
    agreement = await AgreementRepository(ctx.session).find_active(applicant_id, day)
    return ActiveAgreementAnswer(
        applicant_id=applicant_id,
        on=day,
        active=agreement is not None,
        agreement_id=agreement.id if agreement is not None else None,
    )
