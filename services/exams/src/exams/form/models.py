"""Exam forms: a language, an edition and its items, each with a content domain and a key."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class Language(StrEnum):
    ENGLISH = "en"
    SPANISH = "es"


class FormStatus(StrEnum):
    # A draft can be edited; a live form is in use (authorizations are given it) and only its
    # key can be corrected, by an audited action; a retired form is given to no one again.
    DRAFT = "draft"
    LIVE = "live"
    RETIRED = "retired"


class ExamForm(SQLModel, table=True):
    __tablename__ = "exam_form"
    __table_args__ = (
        UniqueConstraint("language", "edition"),
        Index("ix_exam_form_status", "status", "language"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    language: Language = Field(sa_type=enum_type(Language))
    # The board's own name for this version of the exam ("2026-A"); ``version`` below is the
    # row's optimistic-concurrency counter.
    edition: str = Field(max_length=50)
    status: FormStatus = Field(default=FormStatus.DRAFT, sa_type=enum_type(FormStatus))
    item_count: int
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1


class ExamItem(SQLModel, table=True):
    """One multiple-choice item of a form. The key is staff-only: it leaves the service only in
    the form's own admin read."""

    __tablename__ = "exam_item"

    form_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("exam_form.id")], primary_key=True
    )
    number: int = Field(primary_key=True, ge=1)
    domain: str = Field(max_length=100)
    key: str = Field(max_length=1)
