"""The exam standing exams asks for before granting a request: applications' own conditions.

Exams adds its own (fee available, attempts left, MT's newer training, an open
authorization) and refuses with every unmet reason listed; the 14-day cut-off is decided here
alone (``rules.may_request_exam``).
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application
from applications.application.views import status_of
from applications.certification.repository import StandingRepository
from applications.certification.schemas import ExamStanding, StandingCertificate, StandingFee, Unmet
from applications.deps import Context
from applications.policy import ApplicationPolicy
from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, NotFound, error_responses

router = APIRouter(
    prefix="/internal/applications",
    tags=["internal"],
    dependencies=[Depends(require_roles(Role.SERVICE))],
    responses=error_responses(*AUTHENTICATED),
)

S = ApplicationStatus


def unmet_conditions(
    application: Application,
    status: ApplicationStatus,
    *,
    has_certificate: bool,
    today: date,
    policy: ApplicationPolicy,
) -> list[Unmet]:
    """Every applications-owned condition of an exam request not met on ``today``."""
    unmet = []
    if status is S.EXPIRED:
        unmet.append(
            Unmet(
                code="APPLICATION_EXPIRED",
                message=f"the approval ended on {application.valid_through}",
                field="application_id",
            )
        )
    elif status is not S.APPROVED:
        unmet.append(
            Unmet(
                code="APPLICATION_NOT_APPROVED",
                message=f"the application is {status.value.replace('_', ' ')}, not approved",
                field="application_id",
            )
        )
    if not has_certificate:
        unmet.append(
            Unmet(
                code="TRAINING_CERTIFICATE_MISSING",
                message="no accepted training certificate is valid today",
                field="training_certificates",
            )
        )
    valid_through = application.valid_through
    if (
        status is S.APPROVED
        and valid_through is not None
        and not rules.may_request_exam(today, valid_through, policy)
    ):
        cutoff = rules.exam_request_cutoff(valid_through, policy)
        unmet.append(
            Unmet(
                code="EXAM_REQUEST_TOO_LATE",
                message=f"exam requests close {policy.exam_request_min_days_before_expiry} "
                f"days before the approval ends on {valid_through} (last day: {cutoff})",
                field="valid_through",
            )
        )
    return unmet


@router.get("/{application_id}/exam-standing", responses=error_responses(NotFound))
async def exam_standing(application_id: uuid.UUID, ctx: Context) -> ExamStanding:
    """Service only: whether the application meets applications' conditions of an exam request."""
    repository = StandingRepository(ctx.session)
    application = await repository.application(application_id)
    if application is None:
        raise NotFound("no such application", field="application_id")
    status = status_of(application, ctx.today)
    certificates = await repository.valid_certificates(application.id, ctx.today)
    fees = await repository.exam_fees(application.id)
    return ExamStanding(
        application_id=application.id,
        applicant_id=application.applicant_id,
        status=status.value,
        approved_on=ctx.policy.local_date(application.approved_at)
        if application.approved_at
        else None,
        valid_through=application.valid_through,
        training_certificates=[
            StandingCertificate(id=c.id, completed_on=c.completed_on, valid_through=c.valid_through)
            for c in certificates
        ],
        exam_fees=[
            StandingFee(
                reference=p.reference, kind=p.kind.value, paid_on=ctx.policy.local_date(p.paid_at)
            )
            for p in fees
        ],
        unmet=unmet_conditions(
            application,
            status,
            has_certificate=bool(certificates),
            today=ctx.today,
            policy=ctx.policy,
        ),
    )
