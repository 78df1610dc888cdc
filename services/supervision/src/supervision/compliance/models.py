"""What the compliance sweep remembers: the short weeks it has already reminded about."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime


class ShortWeekReminder(SQLModel, table=True):
    """One reminder per peer and short week: the sweep never sends the same one twice."""

    __tablename__ = "supervision_reminder"

    peer_applicant_id: str = Field(max_length=200, primary_key=True)
    week_starts_on: date = Field(primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
