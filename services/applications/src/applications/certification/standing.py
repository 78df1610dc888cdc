"""The exam standing exams asks for before granting a request: applications' own conditions.

Exams adds its own (fee available, attempts left, MT's newer training, an open
authorization) and refuses with every unmet reason listed; the 14-day cut-off is decided here
alone (``rules.may_request_exam``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application
from applications.application.views import status_of
from applications.certificate.models import TrainingCertificate
from applications.certification.models import Certification
from applications.certification.repository import StandingRepository
from applications.certification.rules import CertificationStatus
from applications.certification.schemas import (
    ExamStanding,
    ExamStandings,
    StandingCertificate,
    StandingFee,
    Unmet,
)
from applications.context import ActionContext
from applications.deps import Context
from applications.payment.models import Payment
from applications.policy import ApplicationPolicy
from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, InvalidInput, NotFound, error_responses

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


MAX_STANDINGS = 100


async def standings(ctx: ActionContext, application_ids: Sequence[uuid.UUID]) -> list[ExamStanding]:
    """The standings of those of ``application_ids`` that exist, in three queries."""
    repository = StandingRepository(ctx.session)
    applications = await repository.applications(application_ids)
    known = [a.id for a in applications]
    certificates = await repository.valid_certificates(known, ctx.today)
    fees = await repository.exam_fees(known)
    barred = await repository.disciplined([a.applicant_id for a in applications])
    return [
        standing_of(
            a,
            certificates.get(a.id, []),
            fees.get(a.id, []),
            barred.get(a.applicant_id, []),
            ctx=ctx,
        )
        for a in applications
    ]


def discipline_bars(certifications: Sequence[Certification], today: date) -> list[Unmet]:
    """A suspended (until its last day), revoked or surrendered certification bars the person
    from the exam (domain.md §Discipline and verification)."""
    bars = []
    for c in certifications:
        if (
            c.status is CertificationStatus.SUSPENDED
            and c.suspended_through is not None
            and (today > c.suspended_through)
        ):
            continue
        until = f" through {c.suspended_through}" if c.suspended_through else ""
        bars.append(
            Unmet(
                code=f"CERTIFICATION_{c.status.value.upper()}",
                message=f"certificate {c.number} is {c.status.value}{until}",
                field="certification",
            )
        )
    return bars


def standing_of(
    application: Application,
    certificates: Sequence[TrainingCertificate],
    fees: Sequence[Payment],
    disciplined: Sequence[Certification] = (),
    *,
    ctx: ActionContext,
) -> ExamStanding:
    """One application's standing as of today, from its rows."""
    status = status_of(application, ctx.today)
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
        )
        + discipline_bars(disciplined, ctx.today),
    )


@router.get("/{application_id}/exam-standing", responses=error_responses(NotFound))
async def exam_standing(application_id: uuid.UUID, ctx: Context) -> ExamStanding:
    """Service only: whether the application meets applications' conditions of an exam request."""
    found = await standings(ctx, [application_id])
    if not found:
        raise NotFound("no such application", field="application_id")
    return found[0]


@router.get("/exam-standings", responses=error_responses(InvalidInput))
async def exam_standings(
    ctx: Context,
    application_id: Annotated[
        list[uuid.UUID], Query(min_length=1, max_length=MAX_STANDINGS, description="repeat it")
    ],
) -> ExamStandings:
    """Service only: the standings of several applications at once (exams' summaries count
    attempts per training with them); an unknown id is absent."""
    return ExamStandings(items=await standings(ctx, list(dict.fromkeys(application_id))))
