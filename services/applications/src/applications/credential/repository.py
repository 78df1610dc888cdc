"""All SQL of credential status: the allocated indexes and which bits are on."""

from __future__ import annotations

import uuid

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.models import Certification
from applications.credential.models import CredentialStatus, StatusPurpose
from applications.credential.rules import DISCIPLINED_AS, bit_on
from certboard_core.db import add_unique


class StatusRepository:
    """Every query of the status lists."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def certification(self, certification_id: uuid.UUID) -> Certification | None:
        """The certification, whoever holds it (discipline's caller decides who may)."""
        query = select(Certification).where(Certification.id == certification_id)
        return (await self.session.exec(query)).first()

    async def entries(self, certification_id: uuid.UUID) -> dict[StatusPurpose, CredentialStatus]:
        """The certification's entries, by list (none before its first credential)."""
        query = select(CredentialStatus).where(
            CredentialStatus.certification_id == certification_id
        )
        return {row.purpose: row for row in (await self.session.exec(query)).all()}

    async def add(self, row: CredentialStatus) -> bool:
        """Insert ``row``; False if its index or its certification's place is taken."""
        return await add_unique(self.session, row)

    async def on_indexes(self, purpose: StatusPurpose) -> list[int]:
        """Every index whose bit is on in the list: flagged by discipline, or its
        certification's stored status is the list's (right before anyone flags it)."""
        query = (
            select(CredentialStatus.list_index)
            .join(Certification, col(Certification.id) == CredentialStatus.certification_id)
            .where(CredentialStatus.purpose == purpose)
            .where(
                or_(
                    col(CredentialStatus.flagged),
                    col(Certification.status) == DISCIPLINED_AS[purpose],
                )
            )
        )
        return list((await self.session.exec(query)).all())

    async def is_on(self, purpose: StatusPurpose, index: int) -> bool:
        """Whether the bit at ``index`` of the list is on (an unallocated index is off)."""
        query = (
            select(CredentialStatus.flagged, Certification.status)
            .join(Certification, col(Certification.id) == CredentialStatus.certification_id)
            .where(CredentialStatus.purpose == purpose)
            .where(CredentialStatus.list_index == index)
        )
        found = (await self.session.exec(query)).first()
        return found is not None and bit_on(purpose, flagged=found[0], stored=found[1])
