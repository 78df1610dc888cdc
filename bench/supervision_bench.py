"""The supervision compliance report for many peers over a year, and the floor under it.

``python -m bench.supervision_bench --backend sqlite`` fills a fresh supervision database with
``--peers`` peers (default 5,000), each under a signed agreement, with 52 weeks of hours worked
and signed-off sessions as a year of practice has them, summarizes their weeks as migration
0005 does (the writes keep them from then on), then times, each in its own session:

- the report: ``compliance.service.measure`` for every peer over the 52 weeks (one summary
  row per peer and week, then the pure rule per peer), what ``GET /v1/supervision/compliance``
  runs for staff before shaping the answer;
- its floor: reading the same summary rows and nothing else (like the report, with Python's
  cycle collector paused);
- the rule alone, over the summaries already in memory;
- the raw floor: reading the current hours and signed-off sessions, which the report read
  before the summaries (and no report over them can beat).

The issue's target is under 1 s for 5,000 peers on each backend. Prints a table and appends
it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import common
from bench.common import BACKENDS, NOW, Backend, Databases, machine, quiet_logs, report
from bench.fill import _copy, _executemany, fill_database
from bench.timing import median
from certboard_core.db import create_engine, metadata, session_factory
from supervision.compliance.backfill import backfill
from supervision.compliance.repository import ComplianceRepository
from supervision.compliance.rules import compliance_report
from supervision.compliance.service import cyclic_gc_paused, measure
from supervision.policy import build_policy

# These databases are the supervision service's: Databases migrates the package named here.
common.PACKAGE = "supervision"
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


SUMMARY_FLOOR = text(
    "SELECT peer_applicant_id, week_starts_on, worked_hundredths, supervised_minutes, "
    "sessions, head_hundredths, tail_hundredths, gap_hundredths, daily, session_days "
    "FROM supervision_peer_week WHERE week_starts_on BETWEEN :first AND :last"
)
FLOOR = text(
    "SELECT peer_applicant_id, starts_on, hundredths FROM supervision_hours "
    "WHERE superseded_at IS NULL AND starts_on BETWEEN :first AND :last"
)
FLOOR_SESSIONS = text(
    "SELECT peer_applicant_id, held_on, minutes FROM supervision_session "
    "WHERE superseded_at IS NULL AND signed_off_at IS NOT NULL "
    "AND held_on BETWEEN :first AND :last"
)


class Timed:
    """Wall and process CPU seconds of each round of one measured step."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    async def __call__(self, work: Callable[[], Awaitable[Any]]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = await work()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result

    def row(self, label: str, floor: Timed | None, target: str = "") -> str:
        """A table row: median and best wall time, median CPU, and the median over the floor's."""
        ratio = f"{median(self.wall) / median(floor.wall):.1f}" if floor else "1.0"
        return (
            f"| {label} | {median(self.wall) * 1000:.0f} ms | {min(self.wall) * 1000:.0f} ms "
            f"| {median(self.cpu) * 1000:.0f} ms | {ratio} | {target} |"
        )


async def run(backend: Backend, peers: int, rounds: int, keep: bool) -> None:
    quiet_logs()
    databases = Databases(backend)
    try:
        url = await databases.fresh()
        counts, fill_seconds = await fill_database(url, lambda e: fill(e, peers))
        engine = create_engine(url)
        sessions = session_factory(engine)
        started = time.perf_counter()
        async with engine.begin() as conn:
            summaries = await conn.run_sync(backfill)
        backfill_seconds = time.perf_counter() - started
        bounds = {"first": FIRST, "last": LAST}

        # The floors and the rule run as the report does, without the cycle collector.
        async def summary_floor() -> int:
            with cyclic_gc_paused():
                async with sessions() as session:
                    conn = await session.connection()
                    return len((await conn.execute(SUMMARY_FLOOR, bounds)).all())

        async def raw_floor() -> int:
            with cyclic_gc_paused():
                async with sessions() as session:
                    conn = await session.connection()
                    rows = len((await conn.execute(FLOOR, bounds)).all())
                    return rows + len((await conn.execute(FLOOR_SESSIONS, bounds)).all())

        async def report_all() -> list[tuple[str, Any]]:
            async with sessions() as session:
                return await measure(session, POLICY, FIRST, LAST, None)

        async with sessions() as session:
            read = await ComplianceRepository(session).weeks(FIRST, LAST, peers=None)

        async def rule_only() -> None:
            with cyclic_gc_paused():
                for _, weeks in read:
                    compliance_report(weeks, POLICY)

        report_time, floor_time, rule_time, raw_time = Timed(), Timed(), Timed(), Timed()
        for _ in range(rounds):
            outcome = await report_time(report_all)
            summary_rows = await floor_time(summary_floor)
            await rule_time(rule_only)
            raw_rows = await raw_time(raw_floor)
        await engine.dispose()
        weeks = [w for _, r in outcome for w in r.weeks]
        short = sum(not w.compliant for w in weeks)
        ratio_short = sum(w.shortfall_minutes > 0 for w in weeks)
        over_cap = sum(w.cap_exceeded_on is not None for w in weeks)
        breaches = sum(r.first_cap_exceeded_on is not None for _, r in outcome)
        lines = [
            f"Backend **{backend}**; {peers:,} peers over {WEEKS} weeks "
            f"({FIRST.isoformat()} to {LAST.isoformat()}), policy MT; "
            f"rows: {counts['supervision_hours']:,} hours reports, "
            f"{counts['supervision_session']:,} sessions; filled in {fill_seconds:.0f} s; "
            f"{summaries:,} week summaries backfilled in {backfill_seconds:.0f} s. "
            f"{rounds} rounds, each step in a fresh session; CPU is this process's (SQLite's "
            "work included, PostgreSQL's server not), the ratio is of medians.",
            "",
            "| measured | median | best | CPU (median) | x summary floor | target |",
            "|---|---:|---:|---:|---:|---:|",
            report_time.row(
                "compliance report, all peers, from the summaries", floor_time, "< 1000 ms"
            ),
            floor_time.row(f"floor: read the summary rows ({summary_rows:,})", None),
            rule_time.row("the rule alone, over the summaries in memory", floor_time),
            raw_time.row(
                f"raw floor: read the current hours and sessions ({raw_rows:,})", floor_time
            ),
            "",
            f"The report found {len(weeks):,} weeks with activity, {short:,} of them short "
            f"({ratio_short:,} below 1:20, {over_cap:,} over the 40-hour cap), and "
            f"{breaches:,} peers who passed the cap at least once.",
            "",
            await machine(backend),
        ]
        report(f"supervision compliance report ({backend})", lines, keep=keep)
    finally:
        await databases.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, required=True)
    parser.add_argument("--peers", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.backend, args.peers, args.rounds, not args.no_record))


if __name__ == "__main__":
    main()
