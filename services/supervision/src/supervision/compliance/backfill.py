"""Summarize every peer's weeks from the current rows: the migration that adds the summaries
runs it once, and the benchmark after filling the raw rows."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from supervision.compliance.models import PeerWeek
from supervision.compliance.repository import current_rows, date_reader, peer_days
from supervision.compliance.rules import summarize

BATCH = 10_000


def backfill(connection: Connection) -> int:
    """Write a summary of every peer's week with current hours or signed-off sessions over
    an empty summary table; how many were written."""
    worked, supervised = current_rows(None, None, None, date_reader(connection.dialect.name))
    summaries = [
        {"peer_applicant_id": peer, **week._asdict()}
        for peer, days in peer_days(
            connection.execute(worked).all(), connection.execute(supervised).all()
        )
        for week in summarize(days)
    ]
    for start in range(0, len(summaries), BATCH):
        connection.execute(insert(PeerWeek), summaries[start : start + BATCH])
    return len(summaries)
