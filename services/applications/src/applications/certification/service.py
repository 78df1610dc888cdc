"""Issuing a certification on a pass, exactly once, and reading it: the holder, staff, anyone."""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from pydantic import BaseModel

from applications.application.lifecycle import Action, allows, next_status
from applications.application.models import Application
from applications.application.models import snapshot as application_snapshot
from applications.application.transitions import load
from applications.certification import notices, numbers
from applications.certification.models import Certification, snapshot
from applications.certification.names import name_key
from applications.certification.repository import CertificationRepository, StandingRepository
from applications.certification.schemas import CertificationPublic
from applications.certification.views import status_today
from applications.context import ActionContext
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from applications.renewal.rules import first_valid_through
from certboard_core.audit import record_audit
from certboard_core.errors import NotFound
from certboard_core.fields import IsoDate
from certboard_core.versioned import Change, apply_change

log = structlog.get_logger(__name__)

ISSUED_EVENT = "certification.issued"
# 55 random bits: even with a million holders a draw collides about once in 3.6e10, so a
# few tries are plenty.
NUMBER_TRIES = 5


class CertificateNumberUnknown(NotFound):
    """No certification has that number (or it is not a well-formed number at all)."""

    code = "CERTIFICATE_NOT_FOUND"


class Pass(BaseModel):
    """The payload of ``exam.passed`` (fields applications does not use ignored)."""

    attempt_id: str
    application_id: uuid.UUID
    taken_on: IsoDate


def _certifiable(application: Application, taken_on: date) -> bool:
    """Whether a pass on ``taken_on`` certifies ``application``: approved, or expired since
    (a pass delivered late still counts), and taken within the approval period."""
    return (
        allows(Action.CERTIFY, application.status)
        and application.valid_through is not None
        and taken_on <= application.valid_through
    )


async def issue_on_pass(ctx: ActionContext, passed: Pass) -> Certification | None:
    """Certify the application a pass was taken under; None when there is nothing to do (it
    is certified already, unknown, or not in a state a pass certifies)."""
    repository = CertificationRepository(ctx.session)
    if await repository.of_application(passed.application_id) is not None:
        log.info("pass for a certified application: nothing new", attempt_id=passed.attempt_id)
        return None
    application = await StandingRepository(ctx.session).application(passed.application_id)
    if application is None or not _certifiable(application, passed.taken_on):
        log.warning(
            "a pass that certifies nothing",
            attempt_id=passed.attempt_id,
            application_id=str(passed.application_id),
            status=application.status.value if application else None,
        )
        return None
    certification = await _insert(ctx, application, passed)
    if certification is None:
        return None
    await apply_change(
        ctx,
        application,
        expected_version=application.version,
        values={"status": next_status(Action.CERTIFY, application.status)},
        change=Change("application.certified", "application"),
        snapshot=application_snapshot,
    )
    await _announce(ctx, application, certification)
    return certification


async def _insert(
    ctx: ActionContext, application: Application, passed: Pass
) -> Certification | None:
    """Store the certification under a fresh number, trying again on the rare collision;
    None if another delivery certified the application meanwhile."""
    repository = CertificationRepository(ctx.session)
    for _ in range(NUMBER_TRIES):
        certification = Certification(
            number=numbers.new_number(),
            application_id=application.id,
            applicant_id=application.applicant_id,
            holder_name=f"{application.first_name} {application.last_name}",
            last_name_key=name_key(application.last_name),
            first_name_key=name_key(application.first_name),
            issued_on=passed.taken_on,
            valid_through=first_valid_through(passed.taken_on, ctx.policy),
            attempt_id=passed.attempt_id,
            issued_at=ctx.now,
        )
        if await repository.add(certification):
            return certification
        if await repository.of_application(application.id) is not None:
            return None
    raise RuntimeError(f"no free certificate number in {NUMBER_TRIES} tries")


async def _announce(
    ctx: ActionContext, application: Application, certification: Certification
) -> None:
    """Audit the issue, publish it for other services and tell the holder."""
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action=ISSUED_EVENT,
        entity_type="certification",
        entity_id=str(certification.id),
        before=None,
        after=snapshot(certification),
        at=ctx.now,
    )
    await ctx.outbox.publish(
        ctx.session,
        type=ISSUED_EVENT,
        aggregate_type="certification",
        aggregate_id=str(certification.id),
        payload={
            "certification_id": str(certification.id),
            "number": certification.number,
            "application_id": str(application.id),
            "applicant_id": application.applicant_id,
            "attempt_id": certification.attempt_id,
            "issued_on": certification.issued_on.isoformat(),
            "valid_through": certification.valid_through.isoformat(),
        },
        at=ctx.now,
    )
    subject, body = notices.certified(
        certification.number, certification.issued_on, certification.valid_through
    )
    notice = Notice(NotificationReason.CERTIFIED, subject, body, once_per=certification.number)
    await send_notices(
        ctx.session,
        [(Addressee(application.id, application.email), notice)],
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )


async def read_certification(ctx: ActionContext, application_id: uuid.UUID) -> CertificationPublic:
    """The certification of an application the caller may read (its applicant, or staff)."""
    application = await load(ctx, application_id)
    certification = await CertificationRepository(ctx.session).of_application(application.id)
    if certification is None:
        raise NotFound("the application has no certification", field="application_id")
    return status_today(certification, ctx.today, ctx.policy)
