"""All SQL of the application aggregate."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application, ApplicationDocument, ApplicationStatus
from certboard_core.errors import InvalidInput


def encode_cursor(application: Application) -> str:
    raw = f"{application.submitted_at.isoformat()}|{application.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        stamp, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(stamp), uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("the cursor is not one this API returned", field="after") from exc


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_id: uuid.UUID) -> Application | None:
        return await self.session.get(Application, application_id)

    async def documents_for(
        self, application_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[ApplicationDocument]]:
        found: dict[uuid.UUID, list[ApplicationDocument]] = {i: [] for i in application_ids}
        if not application_ids:
            return found
        rows = await self.session.exec(
            select(ApplicationDocument)
            .where(col(ApplicationDocument.application_id).in_(application_ids))
            .order_by(col(ApplicationDocument.uploaded_at), col(ApplicationDocument.kind))
        )
        for document in rows.all():
            found[document.application_id].append(document)
        return found

    async def get_document(
        self, application_id: uuid.UUID, document_id: uuid.UUID
    ) -> ApplicationDocument | None:
        document = await self.session.get(ApplicationDocument, document_id)
        if document is None or document.application_id != application_id:
            return None
        return document

    async def page(
        self,
        *,
        applicant_id: str | None,
        status: ApplicationStatus | None,
        ids: Sequence[uuid.UUID] | None,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[Application]:
        """Oldest submission (earliest deadline) first, keyset-paginated on (submitted_at, id)."""
        query = select(Application)
        if applicant_id is not None:
            query = query.where(Application.applicant_id == applicant_id)
        if status is not None:
            query = query.where(Application.status == status)
        if ids:
            query = query.where(col(Application.id).in_(ids))
        if after is not None:
            stamp, ident = after
            query = query.where(
                or_(
                    col(Application.submitted_at) > stamp,
                    and_(col(Application.submitted_at) == stamp, col(Application.id) > ident),
                )
            )
        query = query.order_by(col(Application.submitted_at), col(Application.id)).limit(limit)
        return list((await self.session.exec(query)).all())

    def add(self, row: Application | ApplicationDocument) -> None:
        self.session.add(row)
