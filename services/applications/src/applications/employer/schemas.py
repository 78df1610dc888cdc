"""What the employer routes read and answer."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, EmailStr, Field

from applications.certification.rules import CertificationStatus
from applications.employer.rules import AlertKind
from certboard_core.fields import IsoDate, IsoDateTime
from certboard_core.schemas import RequestModel


class EmployerCreate(RequestModel):
    organisation: str = Field(min_length=2, max_length=200, pattern=r"\S")
    alert_email: EmailStr = Field(description="where every alert is mailed")
    webhook_url: str | None = Field(
        default=None, max_length=2000, description="https; alerts are POSTed here, signed"
    )


class EmployerUpdate(RequestModel):
    expected_version: int = Field(ge=1)
    organisation: str | None = Field(default=None, min_length=2, max_length=200, pattern=r"\S")
    alert_email: EmailStr | None = None
    webhook_url: str | None = Field(default=None, max_length=2000)
    clear_webhook: bool = False


class EmployerPublic(BaseModel):
    id: uuid.UUID
    organisation: str
    alert_email: str
    webhook_url: str | None
    created_at: IsoDateTime
    version: int


class EmployerCreated(EmployerPublic):
    webhook_secret: str = Field(description="shown once: the key that signs webhook calls")


class SecretRotation(RequestModel):
    expected_version: int = Field(ge=1)


class EnrolmentRequest(RequestModel):
    certificate_number: str = Field(min_length=1, max_length=40, description="as printed")
    last_name: str = Field(
        min_length=1, max_length=100, description="the holder's; case, accents, spaces ignored"
    )


class EnrolmentPublic(BaseModel):
    id: uuid.UUID
    certification_id: uuid.UUID
    certificate_number: str
    holder_name: str
    status: CertificationStatus = Field(description="as of today, whatever the sweep wrote")
    valid_through: IsoDate
    enrolled_at: IsoDateTime


class EnrolmentPage(BaseModel):
    items: list[EnrolmentPublic]
    next_cursor: str | None


class AlertPublic(BaseModel):
    id: uuid.UUID
    enrolment_id: uuid.UUID
    certification_id: uuid.UUID
    certificate_number: str
    kind: AlertKind
    summary: str
    detail: dict[str, Any]
    created_at: IsoDateTime


class AlertPage(BaseModel):
    items: list[AlertPublic]
    next_cursor: str | None


class FollowerPublic(BaseModel):
    """An employer following a certification, as its holder sees it: its name, since when."""

    organisation: str
    since: IsoDateTime
