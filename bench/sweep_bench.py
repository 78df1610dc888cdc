"""The sweep over N due applications: ``python -m bench.sweep_bench --backend sqlite``.

Each round fills a fresh database with N incomplete applications whose last day to complete
has passed (plus, by default, as many that are not due), runs one ``sweep_once`` and then a
second one, which must find nothing. Prints a table and appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from applications.application import closing
from applications.application.lifecycle import ApplicationStatus
from applications.notification import service as notification_service
from applications.notification.repository import NotificationRepository
from applications.payment.repository import PaymentRepository
from applications.policy import ApplicationPolicy, build_policy
from applications.sweep import service as sweep_service
from applications.sweep.runner import sweep_once
from bench import rows
from bench.common import (
    BACKENDS,
    NOW,
    Backend,
    Databases,
    deployment_outbox,
    machine,
    quiet_logs,
    report,
    table,
)
from bench.fill import bulk_insert, count_rows, fill_database
from bench.probe import ReadProbe
from bench.sweep_report import Round, summarize
from bench.timing import Phases, StatementTimer
from certboard_core.clock import TestClock
from certboard_core.db import create_engine, session_factory
from certboard_core.outbox import Outbox

WRITTEN = ("audit_record", "outbox_event", "outbox_delivery", "notification")


def phase_targets(outbox: Outbox) -> list[tuple[object, str]]:
    """The steps of a sweep worth timing apart (module globals and methods, looked up at
    each call)."""
    return [
        (closing.ClosingRepository, "close"),
        (closing, "record_closures"),
        (closing, "record_audit_rows"),
        (PaymentRepository, "forfeit"),
        (closing, "_closing_notices"),
        (closing, "send_notice_rows"),
        (sweep_service, "_remind"),
        (sweep_service, "send_notices"),
        (notification_service, "send_notice_rows"),
        (NotificationRepository, "record"),
        (outbox, "publish_rows"),
    ]


async def fill(
    engine: AsyncEngine, *, count: int, others: int, paid_share: float, policy: ApplicationPolicy
) -> int:
    """Due and not-due applications, and a fee for ``paid_share`` of them; returns rows added."""
    applications = [rows.due_to_void(i, now=NOW, policy=policy) for i in range(count)]
    applications += [rows.not_due(count + i, now=NOW, policy=policy) for i in range(others)]
    added = await bulk_insert(engine, "application", applications)
    paid_per_100 = round(paid_share * 100)
    payments = (
        rows.payment(a["id"], at=a["submitted_at"])
        for i, a in enumerate(applications)
        if i % 100 < paid_per_100
    )
    return added + await bulk_insert(engine, "payment", payments)


async def _any_id(engine: AsyncEngine) -> uuid.UUID:
    """An application the sweep leaves alone, for the probe to read."""
    application = table("application")
    async with engine.connect() as conn:
        found = await conn.execute(
            select(application.c.id).where(application.c.status == ApplicationStatus.APPROVED)
        )
        return uuid.UUID(str(found.scalars().first()))


async def _stored(engine: AsyncEngine) -> tuple[int, int]:
    """Applications stored as void by this sweep, and fees it forfeited."""
    application, payment = table("application"), table("payment")
    async with engine.connect() as conn:
        void = await conn.execute(
            select(func.count())
            .select_from(application)
            .where(application.c.status == ApplicationStatus.VOID)
            .where(application.c.closed_at == NOW)
        )
        forfeited = await conn.execute(
            select(func.count()).select_from(payment).where(payment.c.forfeited_at.is_not(None))
        )
        return int(void.scalar_one()), int(forfeited.scalar_one())


@dataclass
class Options:
    count: int
    others: int
    paid_share: float
    probe_interval: float
    workers: int


async def sweep_twice(
    engine: AsyncEngine,
    policy: ApplicationPolicy,
    profile: cProfile.Profile | None,
    probe: ReadProbe | None = None,
    workers: int = 1,
) -> Round:
    """The measured part: the first sweep, timed statement by statement and step by step, and
    the second, which must find nothing. ``fill_seconds`` is left for the caller."""
    before = await count_rows(engine, WRITTEN)
    sessions = session_factory(engine)
    clock = TestClock()
    clock.set(NOW)
    outbox = deployment_outbox()
    timer, phases = StatementTimer(engine), Phases(engine)
    with phases.watching(phase_targets(outbox)) as unwatched, probe or nullcontext():
        if profile is not None:
            profile.enable()
        started = time.perf_counter()
        first = await sweep_once(
            sessions, clock=clock, policy=policy, outbox=outbox, workers=workers
        )
        finished = time.perf_counter()
        if profile is not None:
            profile.disable()
    timer.committed(finished)
    statements = timer.take()
    timer.close()
    second_started = time.perf_counter()
    second = await sweep_once(sessions, clock=clock, policy=policy, outbox=outbox, workers=workers)
    second_seconds = time.perf_counter() - second_started
    after = await count_rows(engine, WRITTEN)
    stored_void, forfeited = await _stored(engine)
    return Round(
        fill_seconds=0.0,
        first_seconds=finished - started,
        second_seconds=second_seconds,
        first=first,
        second=second,
        written={n: after[n] - before[n] for n in WRITTEN},
        forfeited=forfeited,
        stored_void=stored_void,
        statements=statements,
        phases=phases,
        unwatched=unwatched,
        probe=probe.result if probe else None,
    )


async def one_round(
    databases: Databases,
    options: Options,
    policy: ApplicationPolicy,
    profile: cProfile.Profile | None,
) -> Round:
    """A fresh database, filled, swept twice, dropped."""
    url = await databases.fresh()
    try:
        _, fill_seconds = await fill_database(
            url,
            lambda engine: fill(
                engine,
                count=options.count,
                others=options.others,
                paid_share=options.paid_share,
                policy=policy,
            ),
        )
        engine = create_engine(url)
        try:
            probe = None
            if options.probe_interval:
                probe = ReadProbe(url, await _any_id(engine), policy, options.probe_interval)
            done = await sweep_twice(engine, policy, profile, probe, options.workers)
        finally:
            await engine.dispose()
    finally:
        await databases.drop(url)
    done.fill_seconds = fill_seconds
    return done


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    backend: Backend = args.backend
    policy = build_policy("CA")
    databases = Databases(backend)
    profile = cProfile.Profile() if args.cprofile else None
    options = Options(
        args.count,
        args.others,
        args.paid_share,
        args.probe_interval,
        args.workers,
    )
    rounds: list[Round] = []
    try:
        for i in range(args.rounds):
            done = await one_round(databases, options, policy, profile if i == 0 else None)
            print(f"round {i + 1}: first sweep {done.first_seconds:.2f} s", flush=True)
            rounds.append(done)
    finally:
        await databases.close()
    env = await machine(backend)
    what_if = " with status reads alongside" if args.probe_interval else ""
    title = f"sweep, {backend}, {args.count:,} due{what_if}"
    report(title, summarize(args, rounds, env), keep=not args.no_record)
    if profile is not None:
        profile.dump_stats(args.cprofile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument("--count", type=int, default=100_000, help="applications due to void")
    parser.add_argument("--others", type=int, default=None, help="not due (default: --count)")
    parser.add_argument("--paid-share", type=float, default=0.5, help="share with a fee paid")
    parser.add_argument(
        "--workers", type=int, default=2, help="chunks at once (PostgreSQL; the service's default)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="fresh databases, median reported")
    parser.add_argument("--cprofile", metavar="FILE", help="profile the first round's sweep")
    parser.add_argument(
        "--probe-reads",
        dest="probe_interval",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="read a status view from another thread this often during the first sweep",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args(argv)
    if args.others is None:
        args.others = args.count
    return args


def main() -> None:
    asyncio.run(main_async(parse()))


if __name__ == "__main__":
    main()
