"""What compliance keeps: each peer's weeks summarized, and the short weeks reminded about."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime


class ShortWeekReminder(SQLModel, table=True):
    """One reminder per peer and short week: the sweep never sends the same one twice."""

    __tablename__ = "supervision_reminder"

    peer_applicant_id: str = Field(max_length=200, primary_key=True)
    week_starts_on: date = Field(primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class PeerWeek(SQLModel, table=True):
    """A peer's week as ``rules.WeekSummary`` holds it, rewritten in the transaction of every
    sign-off, session amendment, hours report and hours amendment that touches the week, so
    the report reads one row per peer and week instead of every session and report."""

    __tablename__ = "supervision_peer_week"
    __table_args__ = (
        # The report for everyone reads a range of weeks.
        Index("ix_supervision_peer_week_week", "week_starts_on"),
    )

    peer_applicant_id: str = Field(max_length=200, primary_key=True)
    week_starts_on: date = Field(primary_key=True)
    worked_hundredths: int = 0
    supervised_minutes: int = 0
    sessions: int = 0
    head_hundredths: int = 0
    tail_hundredths: int = 0
    gap_hundredths: int = 0
    # Seven whole numbers (at most 16800 each, a week's report on its Monday) and commas.
    daily: str = Field(default="0,0,0,0,0,0,0", max_length=60)
    session_days: int = 0
