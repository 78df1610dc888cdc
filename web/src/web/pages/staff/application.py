"""The application page for staff: the whole status view and every decision form, from one
gateway request. A refused decision comes back here, read afresh, with the refusal in words."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from web.gateway import Answer
from web.pages.account import timeline
from web.pages.caller import Caller, ask, not_found, staff_or_refusal
from web.pages.public import error_words
from web.render import page

router = APIRouter()

APPLICATION = """
query StaffApplication($id: ID!) {
  application(id: $id) {
    id applicantId status firstName lastName dateOfBirth email livedExperience
    submittedAt submittedOn approvedAt decisionReason backgroundCheck version
    deadlines {
      today firstNotificationDueOn firstNotificationDaysLeft firstNotifiedOn
      firstNotificationOnTime lastDayToComplete voidFrom daysLeftToComplete validThrough
      daysLeftValid examRequestCutoff daysLeftToRequestExam
    }
    missing
    documents { id kind version current contentType sizeBytes originalFilename uploadedAt }
    revisionRequests { id items note requestedAt resolvedAt }
    notifications { reason subject body createdAt }
    payments { kind amountCents currency reference paidAt forfeitedAt }
    attestations {
      codeOfEthicsAgreed willingToShareExperience recoveryTwoYearsAttested
      diagnosisTreatmentAttested
    }
    certification { number status validThrough }
    exams { authorizations { id status kind language grantedOn validThrough scheduledOn } }
    auditTrail { occurredAt actor action changed }
  }
  applicationPolicy { board timeZone requiresBackgroundCheck }
}
"""
# What staff can ask an applicant to fix (the gateway's RevisionItem), in its order.
REVISION_ITEMS = (
    "APPLICATION_FEE",
    "GOVERNMENT_ID",
    "DIPLOMA",
    "NAME_MISMATCH",
    "DATE_OF_BIRTH",
    "ATTESTATION",
    "BACKGROUND_CHECK",
    "SUPERVISION_AGREEMENT",
    "OTHER",
)
FEE_KINDS = ("APPLICATION", "EXAM", "RETAKE", "RENEWAL", "LATE", "REINSTATEMENT")
# The decisions this page offers, in the order of the page; each posts to
# /staff/applications/{id}/{name} (see decisions.py).
DECISIONS = (
    "start-review",
    "request-revision",
    "approve",
    "deny",
    "record-payment",
    "background-check",
    "status-message",
)


async def application_page(
    request: Request,
    staff: Caller,
    application_id: uuid.UUID,
    *,
    status_code: int = 200,
    done: str | None = None,
    refusal: dict[str, Any] | None = None,
) -> Response:
    """Read the application afresh and render it; ``refusal`` is a decision the gateway
    refused (its form, the errors, what was typed, the version the form was read at)."""
    answer = await ask(request, staff, APPLICATION, {"id": str(application_id)})
    if isinstance(answer, Response):
        return answer
    if answer.code() == "NOT_FOUND":
        return not_found(request)
    data = answer.data or {}
    application = data.get("application")
    if application is not None:
        application["timeline"] = timeline(application)
    return page(
        request,
        "staff/application.html",
        status_code=status_code,
        a=application,
        policy=data.get("applicationPolicy") or {},
        errors=[] if application else error_words(request, answer),
        done=done if done in DECISIONS else None,
        refusal=refusal,
        revision_items=REVISION_ITEMS,
        fee_kinds=FEE_KINDS,
    )


def refusal_of(
    request: Request, answer: Answer, decision: str, typed: dict[str, Any], version: int
) -> dict[str, Any]:
    """A refused decision, for the page: which form, the errors in words with their fields,
    what was typed (kept in the form) and whether it was a stale version."""
    return {
        "decision": decision,
        "errors": error_words(request, answer),
        # Lower case without underscores: the service's ``amount_cents`` is the form's amountCents.
        "fields": {e.field.replace("_", "").lower() for e in answer.errors if e.field},
        "typed": typed,
        "conflict": answer.code() == "VERSION_CONFLICT",
        "read_version": version,
    }


@router.get("/staff/applications/{application_id}", response_model=None)
async def application_view(
    request: Request,
    application_id: uuid.UUID,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """One application: fields, documents, notices, payments, deadlines; every decision."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    return await application_page(request, staff, application_id, done=done or None)
