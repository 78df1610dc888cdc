"""All SQL of the supervision agreement aggregate."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from supervision.agreement.models import SupervisionAgreement


class AgreementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_active(self, applicant_id: str, on: date) -> SupervisionAgreement | None:
        """The peer's agreement signed by both sides and in force on ``on`` (bounds inclusive).

        Should several overlap, the one that started last (then was made last) is returned, so
        the answer is the same on every call.
        """
        query = (
            select(SupervisionAgreement)
            .where(
                SupervisionAgreement.peer_applicant_id == applicant_id,
                col(SupervisionAgreement.signed_by_peer_at).is_not(None),
                col(SupervisionAgreement.signed_by_supervisor_at).is_not(None),
                col(SupervisionAgreement.starts_on) <= on,
                or_(
                    col(SupervisionAgreement.ends_on).is_(None),
                    col(SupervisionAgreement.ends_on) >= on,
                ),
            )
            .order_by(
                col(SupervisionAgreement.starts_on).desc(),
                col(SupervisionAgreement.created_at).desc(),
                col(SupervisionAgreement.id).desc(),
            )
            .limit(1)
        )
        return (await self.session.exec(query)).first()
