"""All SQL of the application aggregate."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import (
    Application,
    ApplicationDocument,
    DocumentKind,
    RevisionRequest,
)
from certboard_core.errors import InvalidInput

S = ApplicationStatus


def encode_cursor(*parts: object) -> str:
    raw = "|".join(p.isoformat() if isinstance(p, date | datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """Undo ``encode_cursor`` for values of ``kinds`` (datetime, date, uuid.UUID)."""
    try:
        parts = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if len(parts) != len(kinds):
            raise ValueError("wrong arity")
        return tuple(
            kind.fromisoformat(p) if kind in (date, datetime) else kind(p)
            for kind, p in zip(kinds, parts, strict=True)
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("the cursor is not one this API returned", field="after") from exc


def status_condition(status: ApplicationStatus, today: date) -> ColumnElement[bool]:
    """Rows whose status *as of today* is ``status``: deadlines apply before the sweep runs."""
    stored = col(Application.status)
    if status is S.VOID:
        return or_(
            stored == S.VOID,
            and_(stored == S.INCOMPLETE, col(Application.last_day_to_complete) < today),
        )
    if status is S.INCOMPLETE:
        return and_(stored == S.INCOMPLETE, col(Application.last_day_to_complete) >= today)
    if status is S.EXPIRED:
        return or_(
            stored == S.EXPIRED, and_(stored == S.APPROVED, col(Application.valid_through) < today)
        )
    if status is S.APPROVED:
        return and_(stored == S.APPROVED, col(Application.valid_through) >= today)
    return stored == status


class ApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_id: uuid.UUID) -> Application | None:
        return await self.session.get(Application, application_id)

    async def refresh(self, application: Application) -> None:
        await self.session.refresh(application)

    async def documents_for(
        self, application_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[ApplicationDocument]]:
        found: dict[uuid.UUID, list[ApplicationDocument]] = {i: [] for i in application_ids}
        if not application_ids:
            return found
        rows = await self.session.exec(
            select(ApplicationDocument)
            .where(col(ApplicationDocument.application_id).in_(application_ids))
            .order_by(col(ApplicationDocument.kind), col(ApplicationDocument.version))
        )
        for document in rows.all():
            found[document.application_id].append(document)
        return found

    async def next_document_version(self, application_id: uuid.UUID, kind: DocumentKind) -> int:
        current = await self.session.exec(
            select(func.max(ApplicationDocument.version))
            .where(ApplicationDocument.application_id == application_id)
            .where(ApplicationDocument.kind == kind)
        )
        return int(current.one() or 0) + 1

    async def get_document(
        self, application_id: uuid.UUID, document_id: uuid.UUID
    ) -> ApplicationDocument | None:
        document = await self.session.get(ApplicationDocument, document_id)
        if document is None or document.application_id != application_id:
            return None
        return document

    async def revisions_for(self, application_id: uuid.UUID) -> list[RevisionRequest]:
        rows = await self.session.exec(
            select(RevisionRequest)
            .where(RevisionRequest.application_id == application_id)
            .order_by(col(RevisionRequest.requested_at), col(RevisionRequest.id))
        )
        return list(rows.all())

    async def resolve_open_revisions(self, application_id: uuid.UUID, at: datetime) -> None:
        await self.session.exec(
            update(RevisionRequest)
            .where(col(RevisionRequest.application_id) == application_id)
            .where(col(RevisionRequest.resolved_at).is_(None))
            .values(resolved_at=at)
        )

    async def page(
        self,
        *,
        applicant_id: str | None,
        status: ApplicationStatus | None,
        ids: Sequence[uuid.UUID] | None,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        today: date,
    ) -> list[Application]:
        """Oldest submission first, keyset-paginated on (submitted_at, id)."""
        query = select(Application)
        if applicant_id is not None:
            query = query.where(Application.applicant_id == applicant_id)
        if status is not None:
            query = query.where(status_condition(status, today))
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

    def add(self, row: Application | ApplicationDocument | RevisionRequest) -> None:
        self.session.add(row)
