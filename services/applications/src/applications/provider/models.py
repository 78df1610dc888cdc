"""Board-approved training providers and their approved programs."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class ProviderStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class TrainingProvider(SQLModel, table=True):
    __tablename__ = "training_provider"

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    status: ProviderStatus = Field(default=ProviderStatus.ACTIVE, sa_type=enum_type(ProviderStatus))
    webhook_url: str | None = Field(default=None, max_length=2000)
    # Signs webhook bodies so the provider can tell them from forgeries; shown once to staff.
    webhook_secret: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class TrainingProgram(SQLModel, table=True):
    __tablename__ = "training_program"
    __table_args__ = (UniqueConstraint("provider_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    provider_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("training_provider.id")]
    )
    name: str = Field(max_length=200)
    hours: int = Field(ge=1)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
