"""A year of supervision for many peers, as the compliance benchmark fills it: each peer under
a signed agreement, with the hours worked and the signed-off sessions a year of practice has."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import NOW
from bench.fill import _copy, _executemany
from certboard_core.db import metadata
from supervision.policy import build_policy

POLICY = build_policy("MT")
FIRST = date(2025, 3, 3)  # a Monday; 52 weeks to Sunday 1 March 2026
WEEKS = 52
LAST = FIRST + timedelta(weeks=WEEKS, days=-1)
Row = dict[str, Any]


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=NOW.tzinfo)


def peer_rows(peers: int, seed: int = 11) -> Iterator[tuple[str, Row]]:
    """(table, row) for every peer's agreement, hours and sessions: a realistic year.

    Four peers in five report hours weekly (20 to 40 h), the rest daily (five days of 4 to
    9 h). Most peers get the week's 1:20 supervision (one session, or two) in 97 weeks of
    100, a few in 70; one session in 20 falls 15 minutes short, one in 20 was superseded by
    an amendment and one in 30 is still unsigned, so the report has short weeks and cap
    breaches to find.
    """
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    for n in range(peers):
        peer, supervisor = f"peer-{n:05d}", f"sup-{n % 700:03d}"
        agreement_id = uuid.uuid4()
        yield (
            "supervision_agreement",
            {
                "id": agreement_id,
                "peer_applicant_id": peer,
                "supervisor_id": supervisor,
                "employer": f"Employer {n % 300}",
                "starts_on": FIRST - timedelta(days=30),
                "ends_on": None,
                "signed_by_peer_at": NOW - timedelta(days=400),
                "signed_by_supervisor_at": NOW - timedelta(days=399),
                "relationship_attested": True,
                "not_family_attested": True,
                "version": 1,
                "created_at": NOW - timedelta(days=400),
            },
        )
        common_cols = {
            "agreement_id": agreement_id,
            "peer_applicant_id": peer,
            "supervisor_id": supervisor,
            "created_at": NOW,
            "created_by": f"applicant:{peer}",
            "supersedes_id": None,
            "amendment_reason": None,
            "superseded_at": None,
            "superseded_by": None,
            "version": 1,
        }
        daily = rng.random() < 0.2
        # How reliably this peer gets supervised: most nearly always, a few often not.
        diligence = 0.97 if rng.random() < 0.85 else 0.7
        for week in range(WEEKS):
            monday = FIRST + timedelta(weeks=week)
            if daily:
                amounts = [rng.randrange(400, 901, 25) for _ in range(5)]
                for d, hundredths in enumerate(amounts):
                    yield (
                        "supervision_hours",
                        {
                            **common_cols,
                            "id": uuid.uuid4(),
                            "period": "day",
                            "starts_on": monday + timedelta(days=d),
                            "hundredths": hundredths,
                        },
                    )
            else:
                amounts = [rng.randrange(2000, 4001, 25)]
                yield (
                    "supervision_hours",
                    {
                        **common_cols,
                        "id": uuid.uuid4(),
                        "period": "week",
                        "starts_on": monday,
                        "hundredths": amounts[0],
                    },
                )
            if rng.random() > diligence:
                continue  # a week without supervision
            # What 1:20 asks for the week, in 15-minute units; now and then 15 minutes short.
            due = -(-sum(amounts) * 3 // 100 // 15) * 15 or 15
            due = max(15, due - 15) if rng.random() < 0.05 else due
            parts = (
                [due] if due <= 60 or rng.random() < 0.5 else [due // 30 * 15, due - due // 30 * 15]
            )
            for minutes in parts:
                day = monday + timedelta(days=2 if daily else rng.randrange(5))
                start = _at(day, rng.randrange(14, 22))
                signed = rng.random() >= 1 / 30
                yield (
                    "supervision_session",
                    {
                        **common_cols,
                        "id": uuid.uuid4(),
                        "peer_name": f"Peer {n}",
                        "peer_certification_number": f"MT-{n:05d}",
                        "supervisor_name": "Dr. Supervisor" if signed else None,
                        "supervisor_license_number": "LCSW-1" if signed else None,
                        "held_on": day,
                        "starts_at": start,
                        "stops_at": start + timedelta(minutes=minutes),
                        "minutes": minutes,
                        "format": rng.choice(("individual", "group")),
                        "topics": ["planning"],
                        "signed_off_at": NOW if signed else None,
                        "signed_off_by": f"supervisor:{supervisor}" if signed else None,
                        "superseded_at": NOW if rng.random() < 0.05 else None,
                    },
                )


async def fill(engine: AsyncEngine, peers: int) -> dict[str, int]:
    """Insert every row set-wise: COPY on PostgreSQL, executemany on SQLite."""
    grouped: dict[str, list[Row]] = {}
    for name, row in peer_rows(peers):
        grouped.setdefault(name, []).append(row)
    async with engine.begin() as conn:
        for name in ("supervision_agreement", "supervision_hours", "supervision_session"):
            target = metadata.tables[name]
            insert = _copy if conn.dialect.name == "postgresql" else _executemany
            await insert(conn, target, grouped[name], 20_000)
    return {name: len(rows) for name, rows in grouped.items()}
