"""Rows the attempt tests stand on, written straight into the exams database.

Forms and authorizations have their own APIs (built alongside); these tests make the rows
directly so they depend only on the tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from sqlmodel import col, select

from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import T0
from exams.authorization.models import (
    AuthorizationStatus,
    DeliveryMode,
    ExamAuthorization,
    RequestKind,
)
from exams.form.models import ExamForm, ExamItem, FormStatus, Language

# T0 is 2026-03-10 in the CA board's zone.
TODAY = date(2026, 3, 10)
# 120 items: ethics 1-30, recovery 31-70, advocacy 71-90, communication 91-120.
SIZES = {"ethics": 30, "recovery": 40, "advocacy": 20, "communication": 30}


def full_form() -> list[tuple[str, str]]:
    """(domain, key) per item, numbered from 1."""
    out: list[tuple[str, str]] = []
    for domain, size in SIZES.items():
        out += [(domain, "ABCD"[(len(out) + i + 1) % 4]) for i in range(size)]
    return out


def wrong(letter: str) -> str:
    return "B" if letter == "A" else "A"


def responses(form: Sequence[tuple[str, str]], right: set[int]) -> dict[str, str]:
    """Right answers on the item numbers in ``right``, wrong ones elsewhere."""
    return {str(n): key if n in right else wrong(key) for n, (_, key) in enumerate(form, start=1)}


class Rows:
    """Writes forms and authorizations, and reads what the service wrote."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def form(
        self,
        items: Sequence[tuple[str, str]] | None = None,
        *,
        status: FormStatus = FormStatus.LIVE,
        language: Language = Language.ENGLISH,
    ) -> ExamForm:
        items = full_form() if items is None else items
        form = ExamForm(
            language=language,
            edition=f"2026-{uuid.uuid4().hex[:6]}",
            status=status,
            item_count=len(items),
            created_by="staff:sam",
            created_at=T0,
        )
        async with self.app.state.sessions() as session:
            session.add(form)
            await session.flush()
            for number, (domain, key) in enumerate(items, start=1):
                session.add(ExamItem(form_id=form.id, number=number, domain=domain, key=key))
            await session.commit()
        return form

    async def authorization(
        self,
        applicant: str = "alice",
        *,
        form_id: uuid.UUID | None = None,
        granted_on: date = TODAY,
        days: int = 90,
        status: AuthorizationStatus = AuthorizationStatus.GRANTED,
    ) -> ExamAuthorization:
        row = ExamAuthorization(
            application_id=uuid.uuid4(),
            applicant_id=applicant,
            kind=RequestKind.FIRST,
            language=Language.ENGLISH,
            delivery_mode=DeliveryMode.TEST_CENTRE,
            fee_reference=f"fee-{uuid.uuid4().hex[:8]}",
            requested_by=applicant,
            granted_at=T0,
            granted_on=granted_on,
            valid_through=granted_on + timedelta(days=days),
            review_due_on=granted_on + timedelta(days=14),
            status=status,
            form_id=form_id,
        )
        async with self.app.state.sessions() as session:
            session.add(row)
            await session.commit()
        return row

    async def get(self, model: Any, ident: Any) -> Any:
        async with self.app.state.sessions() as session:
            return await session.get(model, ident)

    async def all(self, model: Any) -> list[Any]:
        async with self.app.state.sessions() as session:
            return list((await session.exec(select(model))).all())

    async def events(self, kind: str) -> list[dict[str, Any]]:
        async with self.app.state.sessions() as session:
            query = select(OutboxEvent).where(OutboxEvent.type == kind)
            return [e.payload for e in (await session.exec(query)).all()]

    async def audits(self, action: str) -> list[AuditRecord]:
        async with self.app.state.sessions() as session:
            query = (
                select(AuditRecord)
                .where(AuditRecord.action == action)
                .order_by(col(AuditRecord.id))
            )
            return list((await session.exec(query)).all())
