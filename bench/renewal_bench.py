"""The renewal sweep (statuses, reminders) over N certifications, against the same work as bare
SQL: ``python -m bench.renewal_bench --backend sqlite``.

Each round fills two fresh databases alike (``renewal_data``: N certifications time has
moved, under ``MT``, and as many it has not). On one the service's renewal sweep runs (the
two steps ``sweep.runner.sweep_once`` ends with: ``age_all``, statuses a chunk at a time on
the service's workers, then ``remind_all``) and then again, which must find nothing; on the
other the bare-SQL floor (``renewal_floor``) does the same writes. Prints a table and appends it to
bench/RESULTS.md. Target: the service within 1.3x of the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field

from applications.policy import build_policy
from applications.sweep.runner import CHUNK, age_all, remind_all
from bench.common import (
    BACKENDS,
    NOW,
    Backend,
    Databases,
    deployment_outbox,
    machine,
    quiet_logs,
    report,
)
from bench.fill import count_rows, fill_database
from bench.renewal_data import fill
from bench.renewal_floor import Floor, Times
from bench.timing import median
from certboard_core.db import create_engine, session_factory

POLICY = build_policy("MT")
TARGET = 1.3
WRITTEN = ("audit_record", "outbox_event", "outbox_delivery", "notification")


@dataclass
class Round:
    statuses: tuple[float, float]  # service, floor seconds
    reminders: tuple[float, float]
    counts: tuple[int, int]  # statuses moved, reminders sent (the service's; the floor's agree)
    second: float  # the service's second sweep, which finds nothing
    written: dict[str, int] = field(default_factory=dict)
    floor_times: Times | None = None

    @property
    def service(self) -> float:
        return self.statuses[0] + self.reminders[0]

    @property
    def floor(self) -> float:
        return self.statuses[1] + self.reminders[1]


async def service_sweep(
    url: str, workers: int
) -> tuple[float, float, int, int, float, dict[str, int]]:
    """The service's renewal sweep on ``url``: seconds and counts of each step, the second
    sweep's seconds and the rows written."""
    engine = create_engine(url)
    try:
        sessions, outbox = session_factory(engine), deployment_outbox()
        if engine.dialect.name == "sqlite":
            workers = 1
        before = await count_rows(engine, WRITTEN)

        async def steps() -> tuple[float, float, int, int]:
            started = time.perf_counter()
            moved = await age_all(
                sessions, now=NOW, policy=POLICY, outbox=outbox, chunk=CHUNK, workers=workers
            )
            middle = time.perf_counter()
            sent = await remind_all(sessions, now=NOW, policy=POLICY, outbox=outbox, chunk=CHUNK)
            return middle - started, time.perf_counter() - middle, moved, sent

        statuses, reminders, moved, sent = await steps()
        after = await count_rows(engine, WRITTEN)
        again = time.perf_counter()
        if (await steps())[2:] != (0, 0):
            raise RuntimeError("the second sweep found work")
        second = time.perf_counter() - again
        written = {n: after[n] - before[n] for n in WRITTEN}
        return statuses, reminders, moved, sent, second, written
    finally:
        await engine.dispose()


async def floor_sweep(url: str, dialect: str) -> tuple[float, float, int, int, Times]:
    floor = Floor(url, dialect, POLICY, NOW)
    moved, sent = await floor.run()
    return *floor.wall, moved, sent, floor.times


async def one_round(
    databases: Databases, count: int, others: int, workers: int, *, floor_first: bool
) -> Round:
    """Two databases filled alike, one swept by the service and one by the floor, in the
    order asked (rounds alternate it: the machine's caches favour neither)."""
    urls = [await databases.fresh() for _ in range(2)]
    try:
        for url in urls:
            await fill_database(
                url, lambda e: fill(e, count=count, others=others, now=NOW, policy=POLICY)
            )
        dialect = "postgresql" if databases.backend == "postgresql" else "sqlite"
        if floor_first:
            s2, r2, f_moved, f_sent, times = await floor_sweep(urls[1], dialect)
        s1, r1, moved, sent, second, written = await service_sweep(urls[0], workers)
        if not floor_first:
            s2, r2, f_moved, f_sent, times = await floor_sweep(urls[1], dialect)
        if (moved, sent) != (f_moved, f_sent):
            raise RuntimeError(f"service {moved}/{sent} and floor {f_moved}/{f_sent} disagree")
        return Round((s1, s2), (r1, r2), (moved, sent), second, written, times)
    finally:
        for url in urls:
            await databases.drop(url)


def summarize(args: argparse.Namespace, rounds: list[Round], env: str) -> list[str]:
    m = sorted(rounds, key=lambda r: r.service)[len(rounds) // 2]
    ratio = median([r.service / r.floor for r in rounds])
    lines = [
        f"- machine: {env}",
        f"- data: {args.count:,} certifications time has moved (MT; stored active, valid "
        f"through the 850 days up to 90 days ahead) and {args.others:,} it has not; chunks of "
        f"{CHUNK:,}; the service on {args.workers} workers for statuses (PostgreSQL), the "
        "floor on one connection; even rounds run the floor first",
        "",
        "| round | statuses moved | reminders sent | service: statuses s | reminders s | total s "
        "| floor: statuses s | reminders s | total s | ratio | second sweep s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, r in enumerate(rounds, 1):
        lines.append(
            f"| {i} | {r.counts[0]:,} | {r.counts[1]:,} | {r.statuses[0]:.2f} | "
            f"{r.reminders[0]:.2f} | **{r.service:.2f}** | {r.statuses[1]:.2f} | "
            f"{r.reminders[1]:.2f} | **{r.floor:.2f}** | {r.service / r.floor:.2f} | "
            f"{r.second:.3f} |"
        )
    met = "met" if ratio <= TARGET else "**missed**"
    lines += [
        "",
        f"Median ratio service/floor: **{ratio:.2f}x** (target {TARGET}x: {met}). Rows written "
        f"by the median round: {', '.join(f'{k} {v:,}' for k, v in m.written.items())}.",
    ]
    if m.floor_times:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in m.floor_times.items())
        lines.append(f"Floor's statements (median round), seconds: {parts}.")
    return lines


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    backend: Backend = args.backend
    databases = Databases(backend)
    rounds: list[Round] = []
    try:
        for i in range(args.rounds):
            done = await one_round(
                databases, args.count, args.others, args.workers, floor_first=i % 2 == 1
            )
            print(f"round {i + 1}: service {done.service:.2f} s, floor {done.floor:.2f} s")
            rounds.append(done)
    finally:
        await databases.close()
    title = f"renewal sweep, {backend}, {args.count:,} certifications moved"
    report(title, summarize(args, rounds, await machine(backend)), keep=not args.no_record)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument("--count", type=int, default=100_000, help="certifications moved")
    parser.add_argument("--others", type=int, default=None, help="not moved (default: --count)")
    parser.add_argument("--workers", type=int, default=2, help="the service's (PostgreSQL)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh databases, median reported")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args(argv)
    if args.others is None:
        args.others = args.count
    return args


def main() -> None:
    asyncio.run(main_async(parse()))


if __name__ == "__main__":
    main()
