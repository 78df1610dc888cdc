"""Each certification's place in the board's status lists, and the bit discipline sets there."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class StatusPurpose(StrEnum):
    """The board's two status lists (Bitstring Status List ``statusPurpose``)."""

    REVOCATION = "revocation"
    SUSPENSION = "suspension"


class CredentialStatus(SQLModel, table=True):
    """A certification's random index in one list, allocated on its first credential."""

    __tablename__ = "credential_status"
    __table_args__ = (
        UniqueConstraint("purpose", "list_index"),
        UniqueConstraint("certification_id", "purpose"),
        # What a status list reads: the flagged indexes of one list, from the index alone.
        Index("ix_credential_status_flagged", "purpose", "flagged", "list_index"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    purpose: StatusPurpose = Field(sa_type=enum_type(StatusPurpose))
    list_index: int
    # Set by discipline through ``service.set_status``; the list also reads the
    # certification's own status, so a suspended or revoked one shows whatever this says.
    flagged: bool = False
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


def snapshot(row: CredentialStatus) -> dict[str, Any]:
    """The audit trail's picture of a status entry."""
    return row.model_dump(mode="json")
