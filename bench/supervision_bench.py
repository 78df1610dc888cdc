"""The supervision compliance report for many peers over a year, and the floor under it.

``python -m bench.supervision_bench --backend sqlite`` fills a fresh supervision database with
``--peers`` peers (default 5,000), each under a signed agreement, with 52 weeks of hours worked
and signed-off sessions as a year of practice has them, summarizes their weeks as migration
0006 does (the writes keep them from then on), then times, each in its own session:

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
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from bench import common
from bench.common import BACKENDS, Backend, Databases, machine, quiet_logs, report
from bench.fill import fill_database
from bench.supervision_data import FIRST, LAST, POLICY, WEEKS, fill
from bench.timing import median
from certboard_core.db import create_engine, session_factory
from supervision.compliance.backfill import backfill
from supervision.compliance.repository import ComplianceRepository
from supervision.compliance.rules import compliance_report
from supervision.compliance.service import cyclic_gc_paused, measure

# These databases are the supervision service's: Databases migrates the package named here.
common.PACKAGE = "supervision"

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
