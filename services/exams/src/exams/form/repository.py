"""All SQL of exam forms and their items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, delete, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page
from exams.form.importer import Item
from exams.form.models import ExamForm, ExamItem, FormStatus, Language


def _column(attribute: Any) -> ColumnElement[Any]:
    # What ``col`` returns is typed as an ORM attribute; Keyset takes the column it stands for.
    return cast(ColumnElement[Any], col(attribute))


BY_CREATED = Keyset[ExamForm](
    _column(ExamForm.created_at), _column(ExamForm.id), lambda f: (f.created_at, f.id)
)


async def load_key(session: AsyncSession, form_id: uuid.UUID) -> dict[int, tuple[str, str]]:
    """The form's key for scoring: item number -> (content domain, key). Empty if no form.

    For the service's own use (scoring, item analysis): never put what it returns in a
    response, an error, an event or a log line.
    """
    rows = await session.exec(
        select(ExamItem.number, ExamItem.domain, ExamItem.key).where(
            col(ExamItem.form_id) == form_id
        )
    )
    return {number: (domain, key) for number, domain, key in rows.all()}


async def live_form_for(session: AsyncSession, language: Language) -> ExamForm | None:
    """The live form to give a candidate in ``language``: the one published last, if several."""
    query = (
        select(ExamForm)
        .where(col(ExamForm.language) == language, col(ExamForm.status) == FormStatus.LIVE)
        .order_by(col(ExamForm.published_at).desc(), col(ExamForm.id).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


class FormRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, form: ExamForm, items: Sequence[Item]) -> bool:
        """Store a new form and its items; False if its language already has that edition."""
        if not await add_unique(self.session, form):
            return False
        await self._insert_items(form.id, items)
        return True

    async def get(self, form_id: uuid.UUID) -> ExamForm | None:
        """The form, or None."""
        return await self.session.get(ExamForm, form_id)

    async def items_of(self, form_id: uuid.UUID) -> list[ExamItem]:
        """The form's items, by number (keys included: the caller decides what leaves)."""
        query = (
            select(ExamItem).where(col(ExamItem.form_id) == form_id).order_by(col(ExamItem.number))
        )
        return list((await self.session.exec(query)).all())

    async def replace_items(self, form_id: uuid.UUID, items: Sequence[Item]) -> None:
        """Put ``items`` in place of the form's items."""
        await self.session.exec(delete(ExamItem).where(col(ExamItem.form_id) == form_id))
        await self._insert_items(form_id, items)

    async def page(
        self,
        *,
        language: Language | None,
        status: FormStatus | None,
        after: str | None,
        limit: int,
    ) -> Page[ExamForm]:
        """Forms, oldest first, of one language and status when given."""
        statement = select(ExamForm)
        if language is not None:
            statement = statement.where(col(ExamForm.language) == language)
        if status is not None:
            statement = statement.where(col(ExamForm.status) == status)
        query = BY_CREATED.query(statement, after=after, limit=limit)
        query = cast(SelectOfScalar[ExamForm], query)
        return BY_CREATED.page((await self.session.exec(query)).all(), limit=limit)

    async def _insert_items(self, form_id: uuid.UUID, items: Sequence[Item]) -> None:
        # One statement for the whole form, however many items.
        if items:
            await self.session.exec(
                insert(ExamItem).values(
                    [
                        {"form_id": form_id, "number": i.number, "domain": i.domain, "key": i.key}
                        for i in items
                    ]
                )
            )
