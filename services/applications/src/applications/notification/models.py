"""Notices sent to applicants: each recorded with its time and content."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class NotificationReason(StrEnum):
    """Why a notice was sent."""

    STATUS_MESSAGE = "status_message"
    REVISION_REQUESTED = "revision_requested"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    VOIDED = "voided"
    EXPIRED = "expired"
    VOID_REMINDER = "void_reminder"
    EXPIRY_REMINDER = "expiry_reminder"
    EXAM_RESULT = "exam_result"
    EXAM_RESULT_CHANGED = "exam_result_changed"
    CERTIFIED = "certified"
    RENEWED = "renewed"
    CE_AUDIT = "ce_audit"
    DISCIPLINE_DECISION = "discipline_decision"
    # A week of clinical supervision fell short (from the supervision service's sweep).
    SUPERVISION_REMINDER = "supervision_reminder"
    # A certification's renewal (the sweep): before its valid-through day, on its first lapsed
    # day and on its first expired day (domain.md §Renewal).
    RENEWAL_REMINDER = "renewal_reminder"
    CERTIFICATION_LAPSED = "certification_lapsed"
    CERTIFICATION_EXPIRED = "certification_expired"


class Notification(SQLModel, table=True):
    """A notice sent to an applicant."""

    __tablename__ = "notification"
    __table_args__ = (
        # The same notice is never sent twice: the key names the reason and the day (and for
        # reminders the threshold), so retries and a second sweep are no-ops.
        UniqueConstraint("application_id", "dedupe_key"),
        Index("ix_notification_application", "application_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    reason: NotificationReason = Field(sa_type=enum_type(NotificationReason))
    dedupe_key: str = Field(max_length=120)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_on: date
    created_by: str = Field(max_length=200)
