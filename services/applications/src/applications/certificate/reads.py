"""Batched reads of training certificates, for the status views of many applications at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certificate.models import TrainingCertificate as C


async def certificates_for_applications(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[C]]:
    """The certificates matched to each application, in the order received, in one query."""
    found: dict[uuid.UUID, list[C]] = {i: [] for i in application_ids}
    rows = await session.exec(
        select(C)
        .where(col(C.application_id).in_(application_ids))
        .order_by(col(C.received_at), col(C.id))
    )
    for certificate in rows.all():
        if certificate.application_id is not None:
            found[certificate.application_id].append(certificate)
    return found
