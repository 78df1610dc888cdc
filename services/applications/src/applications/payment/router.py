"""HTTP endpoints for fees."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from applications.application.schemas import PaymentPublic
from applications.deps import STAFF_ONLY, Context
from applications.errors import TransitionNotAllowed
from applications.payment.schemas import PaymentCreate
from applications.payment.service import DuplicatePayment, record_payment
from certboard_core.errors import AUTHENTICATED, NotFound, error_responses

router = APIRouter(
    prefix="/v1/applications", tags=["fees"], responses=error_responses(*AUTHENTICATED)
)


@router.post(
    "/{application_id}/payments",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, DuplicatePayment),
)
async def record_fee(application_id: uuid.UUID, body: PaymentCreate, ctx: Context) -> PaymentPublic:
    """Record a fee the board received (no card processing here); a reference counts once."""
    payment = await record_payment(ctx, application_id, body)
    return PaymentPublic(**payment.model_dump())
