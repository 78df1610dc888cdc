"""CE progress of N people with R records each, against bare SQL on the same database:
``python -m bench.ce_progress_bench --backend sqlite --preset CA``.

One fresh database per preset, filled set-wise (``bench.ce_progress_data``), then rounds of
(a) the service's way: read the certifications (id, issue and valid-through days) and
``applications.renewal.progress.progress_of`` over all of them, on an engine made as the
service makes it; and (b) the floor (``bench.ce_progress_floor``): the same answer as one
SQL statement through the bare driver. The two answers are compared person by person; the
median of the rounds and their ratio go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import pstats
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlmodel import col, select

from applications.certification.models import Certification
from applications.policy import ApplicationPolicy, build_policy
from applications.renewal.ce_rules import CeProgress
from applications.renewal.progress import Certified, progress_of
from bench import ce_progress_data, ce_progress_floor
from bench.common import BACKENDS, NOW, Backend, Databases, machine, quiet_logs, report
from bench.fill import fill_database
from bench.timing import median
from certboard_core.db import create_engine, session_factory

TARGET = 1.3
PRESETS = ("CA", "MT")


@dataclass
class Rounds:
    read: list[float] = field(default_factory=list)
    progress: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    mismatches: int = 0

    def service(self) -> list[float]:
        return [r + p for r, p in zip(self.read, self.progress, strict=True)]


async def the_service(
    url: str, policy: ApplicationPolicy, profile: cProfile.Profile | None
) -> tuple[float, float, dict[uuid.UUID, CeProgress]]:
    """Seconds to read the certifications, seconds for ``progress_of``, and its answer."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            # A connection already open, as a running service's pool holds one; Core rows,
            # not ORM loading: the lean read a service would list certifications with.
            connection = await session.connection()
            if profile is not None:
                profile.enable()
            started = time.perf_counter()
            found = await connection.execute(
                select(
                    col(Certification.id),
                    col(Certification.issued_on),
                    col(Certification.valid_through),
                )
            )
            certifications = found.all()
            read = time.perf_counter()
            # Rows of the three columns: what progress_of reads of a certification.
            rows = cast(Sequence[Certified], certifications)
            progress = await progress_of(session, rows, policy)
            done = time.perf_counter()
            if profile is not None:
                profile.disable()
            return read - started, done - read, progress
    finally:
        await engine.dispose()


async def the_floor(url: str, sql: str, backend: Backend) -> tuple[float, list[Any]]:
    if backend == "postgresql":
        return await ce_progress_floor.run_postgresql(url, sql)
    path = url.removeprefix("sqlite+aiosqlite:///")
    return await asyncio.to_thread(ce_progress_floor.run_sqlite, path, sql)


def mismatches(preset: str, service: dict[uuid.UUID, CeProgress], floor: list[Any]) -> int:
    """People whose total, minimum category, carried-in or still-needed hours differ."""
    # The minimum's category over its span: law and ethics (CA, the cycle), suicide
    # prevention (MT, the pair of years).
    column = {"CA": 3, "MT": 4}[preset]
    differ = abs(len(service) - len(floor))
    for row in floor:
        key = row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))
        mine = service.get(key)
        carried = row[3] if preset == "MT" else 0
        theirs = (int(row[1]), int(row[column]), int(carried), int(row[-1]))
        if mine is None or theirs != (
            mine.earned_hundredths,
            mine.categories[0].earned_hundredths if mine.categories else theirs[1],
            mine.carried_in_hundredths,
            mine.still_needed_hundredths,
        ):
            differ += 1
    return differ


async def measure(url: str, backend: Backend, args: argparse.Namespace, preset: str) -> Rounds:
    """Rounds of the service's way and the floor on the filled database, under ``preset``."""
    policy = build_policy(preset)
    sql = ce_progress_floor.statement(preset, backend, policy)
    rounds = Rounds()
    profile = cProfile.Profile() if args.cprofile else None
    for i in range(args.rounds):
        # Alternate which goes first, so neither always meets the colder cache.
        if i % 2:
            floor_seconds, floor = await the_floor(url, sql, backend)
        read, progress, answer = await the_service(url, policy, profile if i == 0 else None)
        if not i % 2:
            floor_seconds, floor = await the_floor(url, sql, backend)
        rounds.read.append(read)
        rounds.progress.append(progress)
        rounds.floor.append(floor_seconds)
        rounds.mismatches = max(rounds.mismatches, mismatches(preset, answer, floor))
        print(
            f"{preset} round {i + 1}: service {read:.2f} + {progress:.2f} s, "
            f"floor {floor_seconds:.2f} s",
            flush=True,
        )
    if profile is not None:
        profile.dump_stats(f"{args.cprofile}.{preset}")
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
    return rounds


async def run(
    databases: Databases, args: argparse.Namespace
) -> tuple[dict[str, Rounds], dict[str, int], float]:
    """One fill, then each preset in turn (the certifications moved to its periods)."""
    url = await databases.fresh()
    try:
        first = build_policy(args.presets[0])
        added, fill_seconds = await fill_database(
            url,
            lambda engine: ce_progress_data.fill(
                engine, count=args.count, per_person=args.records, policy=first
            ),
        )
        print(f"filled {added} in {fill_seconds:.0f} s", flush=True)
        results = {}
        for preset in args.presets:
            policy = build_policy(preset)
            await fill_database(url, functools.partial(ce_progress_data.move_to, policy=policy))
            results[preset] = await measure(url, databases.backend, args, preset)
        return results, added, fill_seconds
    finally:
        await databases.drop(url)


def table(results: dict[str, Rounds]) -> list[str]:
    lines = [
        "| preset | (a) service s: read + progress_of | progress_of alone s | (b) floor s "
        "| (a) / (b) | progress_of / (b) | answers differing | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for preset, rounds in results.items():
        service, floor = median(rounds.service()), median(rounds.floor)
        progress = median(rounds.progress)
        lines.append(
            f"| {preset} | {service:.2f} ({median(rounds.read):.2f} + {progress:.2f}) "
            f"| {progress:.2f} | {floor:.2f} | **{service / floor:.2f}x** "
            f"| {progress / floor:.2f}x | {rounds.mismatches} | at most {TARGET}x |"
        )
    return lines


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    backend: Backend = args.backend
    databases = Databases(backend)
    try:
        results, added, fill_seconds = await run(databases, args)
    finally:
        await databases.close()
    rows = ", ".join(f"{n:,} {t}" for t, n in added.items())
    lines = [
        f"- machine: {await machine(backend)}",
        f"- data: {args.count:,} certifications issued over the last four years as of "
        f"{NOW:%Y-%m-%d}, each with its application and {args.records} accepted CE records "
        f"(0.5-4 h, 30% law and ethics, 10% suicide prevention, 60% general) from issue to "
        f"today ({rows}, filled in {fill_seconds:.0f} s); one database, each preset's "
        "valid-through days set before its rounds",
        "- (a) the service's way: read the certifications' ids, issue and valid-through days "
        "(SQLModel session), then `progress_of` (chunks of 5,000: one statement each summing "
        "the ledger per cycle and category, then the rules in memory), on an engine made as "
        "the service makes it",
        "- (b) the floor: the same answer (per certification: the current cycle's hours in "
        "total and by category, carried in, still needed) as one SQL statement through the "
        f"bare driver ({'asyncpg' if backend == 'postgresql' else 'sqlite3'}): CA a GROUP BY "
        "over the ledger joined to each certification's cycle window; MT a recursive CTE "
        "walking the years for carry-over",
        f"- median of {args.rounds} rounds on the same database, (a) and (b) alternating first",
        "",
        *table(results),
    ]
    report(f"CE progress, {backend}, {args.count:,} people", lines, keep=not args.no_record)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument("--preset", dest="presets", action="append", choices=PRESETS)
    parser.add_argument("--count", type=int, default=100_000, help="certified people")
    parser.add_argument("--records", type=int, default=20, help="CE records per person")
    parser.add_argument("--rounds", type=int, default=3, help="median reported")
    parser.add_argument("--cprofile", metavar="FILE", help="profile the first round's service")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args(argv)
    args.presets = args.presets or list(PRESETS)
    return args


def main() -> None:
    asyncio.run(main_async(parse()))


if __name__ == "__main__":
    main()
