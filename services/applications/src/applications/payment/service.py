"""Recording fees: only on open applications, each payment reference once."""

from __future__ import annotations

import uuid

from applications.application.lifecycle import FINAL, ApplicationStatus
from applications.application.transitions import load
from applications.application.views import status_of
from applications.context import ActionContext
from applications.errors import TransitionNotAllowed
from applications.payment.models import CERTIFICATION_FEES, Payment
from applications.payment.repository import PaymentRepository
from applications.payment.schemas import PaymentCreate
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict


class DuplicatePayment(Conflict):
    code = "DUPLICATE_PAYMENT"


async def record_payment(
    ctx: ActionContext, application_id: uuid.UUID, data: PaymentCreate
) -> Payment:
    """Record a fee the board received on an open application (a renewal's fees: on a
    certified one); a reference counts once."""
    application = await load(ctx, application_id)
    current = status_of(application, ctx.today)
    if data.kind in CERTIFICATION_FEES and current is not ApplicationStatus.CERTIFIED:
        raise TransitionNotAllowed.naming_state(
            f"record a {data.kind.value} fee on an application", current, ["certified"]
        )
    if current in FINAL:
        raise TransitionNotAllowed.naming_state(
            "record a fee on an application",
            current,
            (s.value for s in ApplicationStatus if s not in FINAL),
        )
    payment = Payment(
        application_id=application.id,
        **data.model_dump(),
        recorded_by=ctx.actor,
        recorded_at=ctx.now,
    )
    if not await PaymentRepository(ctx.session).add(payment):
        raise DuplicatePayment(
            f"a payment with reference {data.reference!r} is already recorded", field="reference"
        )
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="payment.recorded",
        entity_type="application",
        entity_id=str(application.id),
        before=None,
        after=payment.model_dump(mode="json"),
        at=ctx.now,
    )
    return payment
