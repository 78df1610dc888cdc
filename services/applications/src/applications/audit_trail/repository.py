"""All SQL of reading the audit trail (its rows are written by ``certboard_core.audit``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.audit import AuditRecord


class AuditTrailRepository:
    """Reads of the append-only audit records."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_entities(
        self, entity_type: str, entity_ids: Sequence[str], limit: int
    ) -> Sequence[AuditRecord]:
        """The records of these entities, oldest first, at most ``limit``."""
        rows = await self.session.exec(
            select(AuditRecord)
            .where(AuditRecord.entity_type == entity_type)
            .where(col(AuditRecord.entity_id).in_(entity_ids))
            .order_by(col(AuditRecord.id))
            .limit(limit)
        )
        return rows.all()
