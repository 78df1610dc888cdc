"""Exam attempts and their results, and every later change to a result."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class ScoreSource(StrEnum):
    # Scored here against the form's key, or a score the test vendor reported.
    RESPONSES = "responses"
    VENDOR = "vendor"


class ExamAttempt(SQLModel, table=True):
    __tablename__ = "exam_attempt"
    __table_args__ = (
        # An authorization is good for exactly one attempt.
        UniqueConstraint("authorization_id"),
        Index("ix_exam_attempt_application", "application_id", "taken_at", "id"),
        Index("ix_exam_attempt_form", "form_id", "id"),
        Index("ix_exam_attempt_notice", "result_notice_sent_at", "result_notice_due_on", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    authorization_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("exam_authorization.id")]
    )
    application_id: uuid.UUID = Field(sa_type=Uuid)
    applicant_id: str = Field(max_length=200)
    form_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("exam_form.id")]
    )
    source: ScoreSource = Field(sa_type=enum_type(ScoreSource))
    taken_at: datetime = Field(sa_type=UTCDateTime)
    taken_on: date
    # Item number (as text, JSON keys are text) to the option chosen; absent for vendor scores.
    responses: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    correct: int
    total: int
    # [{"domain": ..., "correct": n, "total": m}], in the form's domain order.
    domain_results: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    passed: bool
    vendor_reference: str | None = Field(default=None, max_length=200)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    # The formal result notice: due within the policy's days of the attempt, sent by staff.
    result_notice_due_on: date
    result_notice_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result_notice_sent_by: str | None = Field(default=None, max_length=200)
    version: int = 1


class ResultChange(SQLModel, table=True):
    """A result changed after it was recorded (a key correction rescored it): kept forever."""

    __tablename__ = "exam_result_change"
    __table_args__ = (Index("ix_exam_result_change_attempt", "attempt_id", "changed_at"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    attempt_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("exam_attempt.id")])
    reason: str = Field(max_length=2000)
    previous_correct: int
    correct: int
    previous_passed: bool
    passed: bool
    changed_by: str = Field(max_length=200)
    changed_at: datetime = Field(sa_type=UTCDateTime)
