"""HTTP endpoints for notices staff send by hand."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import Field

from applications.application.schemas import ApplicationPublic
from applications.application.service import read_application
from applications.application.transitions import send_status_message
from applications.deps import STAFF_ONLY, Context
from applications.notification.service import DuplicateNotification
from certboard_core.errors import AUTHENTICATED, NotFound, error_responses
from certboard_core.schemas import RequestModel

router = APIRouter(
    prefix="/v1/applications",
    tags=["notifications"],
    responses=error_responses(*AUTHENTICATED),
)


class StatusMessage(RequestModel):
    """The words of a status message staff send an applicant."""

    subject: str = Field(min_length=3, max_length=300)
    body: str = Field(min_length=3, max_length=8000)


@router.post(
    "/{application_id}/notifications",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, DuplicateNotification),
)
async def send_notification(
    application_id: uuid.UUID, body: StatusMessage, ctx: Context
) -> ApplicationPublic:
    """Send the applicant a status message (what is needed, by when); it counts as a notice."""
    await send_status_message(ctx, application_id, body.subject, body.body)
    return await read_application(ctx, application_id)
