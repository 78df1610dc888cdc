"""Authorizations to test: one attempt each, in a window that is never extended."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id
from exams.form.models import Language


class DeliveryMode(StrEnum):
    ONLINE_PROCTORED = "online_proctored"
    TEST_CENTRE = "test_centre"


class RequestKind(StrEnum):
    FIRST = "first"
    RETAKE = "retake"


class AuthorizationStatus(StrEnum):
    # Open states first; every other state is the one outcome an authorization ends in.
    GRANTED = "granted"
    SCHEDULED = "scheduled"
    ATTEMPTED = "attempted"
    EXPIRED_UNUSED = "expired_unused"
    NO_SHOW = "no_show"
    VENDOR_FAULT = "vendor_fault"
    VOIDED = "voided"


class ExamAuthorization(SQLModel, table=True):
    __tablename__ = "exam_authorization"
    __table_args__ = (
        Index("ix_exam_authorization_application", "application_id", "granted_at", "id"),
        Index("ix_exam_authorization_applicant", "applicant_id", "granted_at", "id"),
        Index("ix_exam_authorization_open", "status", "valid_through", "id"),
        Index("ix_exam_authorization_review", "status", "review_due_on", "id"),
        Index("ix_exam_authorization_valid_through", "valid_through"),
        Index("ix_exam_authorization_fee", "application_id", "fee_reference"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    # The application lives in the applications service: no foreign key across services.
    application_id: uuid.UUID = Field(sa_type=Uuid)
    applicant_id: str = Field(max_length=200)
    kind: RequestKind = Field(sa_type=enum_type(RequestKind))
    language: Language = Field(sa_type=enum_type(Language))
    delivery_mode: DeliveryMode = Field(sa_type=enum_type(DeliveryMode))
    # The exam or retake fee (applications' payment reference) this authorization uses.
    fee_reference: str = Field(max_length=200)
    requested_by: str = Field(max_length=200)
    granted_at: datetime = Field(sa_type=UTCDateTime)
    granted_on: date
    # The earlier of granted_on + the policy window and the approval's valid-through day.
    valid_through: date
    # Scheduling details are due from staff this day (the fee's day + the policy's days).
    review_due_on: date
    status: AuthorizationStatus = Field(
        default=AuthorizationStatus.GRANTED, sa_type=enum_type(AuthorizationStatus)
    )
    form_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("exam_form.id")]
    )
    scheduled_on: date | None = None
    # Local time at the site (or the candidate's, online) in the board's zone.
    scheduled_at_time: time | None = None
    site: str | None = Field(default=None, max_length=200)
    scheduled_by: str | None = Field(default=None, max_length=200)
    # When staff recorded the schedule (cleared with it): the day it left the scheduling
    # queue, for that queue's last days (queue.repository).
    schedule_recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_on: date | None = None
    ended_by: str | None = Field(default=None, max_length=200)
    end_reason: str | None = Field(default=None, max_length=2000)
    vendor_incident: str | None = Field(default=None, max_length=200)
    # A staff void names the authorization issued in its place.
    replaced_by_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    replaces_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    version: int = 1
