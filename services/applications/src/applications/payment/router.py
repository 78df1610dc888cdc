"""HTTP endpoints for fees."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from applications.application.lifecycle import FINAL
from applications.application.schemas import PaymentPublic
from applications.application.transitions import load
from applications.application.views import status_of
from applications.deps import STAFF_ONLY, Context
from applications.payment.schemas import PaymentCreate
from applications.payment.service import record_payment
from certboard_core.errors import ERROR_RESPONSES, Conflict

router = APIRouter(prefix="/v1/applications", tags=["fees"], responses=ERROR_RESPONSES)


@router.post(
    "/{application_id}/payments", status_code=status.HTTP_201_CREATED, dependencies=STAFF_ONLY
)
async def record_fee(application_id: uuid.UUID, body: PaymentCreate, ctx: Context) -> PaymentPublic:
    """Record a fee the board received (no card processing here); a reference counts once."""
    application = await load(ctx, application_id)
    current = status_of(application, ctx.today)
    if current in FINAL:
        raise Conflict(
            f"the application is {current.value}; fees are recorded on open applications",
            field="status",
        )
    payment = await record_payment(
        ctx.session, application=application, data=body, actor=ctx.actor, at=ctx.now
    )
    return PaymentPublic(**payment.model_dump())
