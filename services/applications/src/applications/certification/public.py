"""Public verification (domain.md §Discipline and verification, as Nursys QuickConfirm does):
a certificate number, or a name, answered with what anyone may know and nothing more."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification import numbers
from applications.certification.models import Certification
from applications.certification.names import name_key
from applications.certification.repository import CertificationRepository
from applications.certification.schemas import Verification, VerificationPage
from applications.certification.service import CertificateNumberUnknown
from applications.certification.views import verification
from applications.credential.vc import Board
from applications.discipline.models import Complaint
from applications.discipline.repository import ComplaintRepository
from applications.renewal.policy import RenewalPolicy
from certboard_core.errors import InvalidInput


class Lookup:
    """One public lookup: the session, today and how the answer is worded."""

    def __init__(
        self, session: AsyncSession, today: date, policy: RenewalPolicy, board: Board
    ) -> None:
        self.session = session
        self.today = today
        self.policy = policy
        self.board = board

    async def by_number(self, typed: str) -> Verification:
        """What the public may know of the certificate ``typed`` (however spaced or cased)."""
        certification = await certification_numbered(self.session, typed)
        (answer,) = await self._answers([certification])
        return answer

    async def by_name(
        self, last_name: str, first_name: str, *, after: str | None, limit: int
    ) -> VerificationPage:
        """Holders of this last name whose first name starts so (any case, accents, spaces,
        hyphens or apostrophes), a page at a time."""
        last_key, first_key = name_key(last_name), name_key(first_name)
        if not last_key:
            raise InvalidInput("a last name needs at least one letter", field="last_name")
        if not first_key:
            raise InvalidInput(
                "give at least the first letter of the first name", field="first_name"
            )
        repository = CertificationRepository(self.session)
        page = await repository.named(last_key, first_key, after=after, limit=limit)
        return VerificationPage(items=await self._answers(page.items), next_cursor=page.next_cursor)

    async def _answers(self, certifications: Sequence[Certification]) -> list[Verification]:
        """Each certification as the public sees it, its public discipline read at once."""
        decided: dict[uuid.UUID, list[Complaint]] = defaultdict(list)
        found = await ComplaintRepository(self.session).decisions(
            [c.id for c in certifications], public_only=True
        )
        for complaint in found:
            decided[complaint.certification_id].append(complaint)
        return [
            verification(c, self.today, self.policy, decided[c.id], self.board)
            for c in certifications
        ]


async def certification_numbered(
    session: AsyncSession, typed: str, *, field: str = "number"
) -> Certification:
    """The certification under a number as someone typed it, or CERTIFICATE_NOT_FOUND (at
    ``field``)."""
    number = numbers.normalise(typed)
    certification = await CertificationRepository(session).by_number(number) if number else None
    if certification is None:
        raise CertificateNumberUnknown("no certificate has this number", field=field)
    return certification
