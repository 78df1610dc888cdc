"""One applicant's status view: few against many applications, and over HTTP under load.

``python -m bench.status_bench sizes --backend sqlite`` fills a fresh database per size (by default
1,000 and 1,000,000 applications, spread over many applicants, with their documents, notices
and fees), then times the applicant's status view (``read_application``) and list
(``list_applications``) through the service functions, each call in its own session as a
request has. ``python -m bench.status_bench http`` loads the view over HTTP, through the
gateway and straight from the service, next to a floor (``bench/status_http.py``). Each prints
its tables and appends them to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.lifecycle import ApplicationStatus
from applications.application.service import list_applications, read_application
from applications.context import ActionContext
from applications.policy import ApplicationPolicy, build_policy
from bench import status_http, status_http_report
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
from bench.fill import fill_database
from bench.status_data import APPLICANT, fill
from bench.timing import StatementTimer, median, percentile
from certboard_core.auth import Principal, Role
from certboard_core.clock import TestClock
from certboard_core.db import create_engine, session_factory

S = ApplicationStatus
TARGET_RATIO = 1.5


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    statements: int = 0
    driver: float = 0.0

    @property
    def median_ms(self) -> float:
        return median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 0.95) * 1000

    @property
    def statements_per_call(self) -> float:
        return self.statements / len(self.seconds)

    @property
    def driver_ms(self) -> float:
        """Per call, in the driver (statements only)."""
        return self.driver / len(self.seconds) * 1000


@dataclass
class Subject:
    """One filled database and the calls measured on it."""

    size: int
    rows: int
    fill_seconds: float
    engine: AsyncEngine
    calls: dict[str, Callable[[], Awaitable[Any]]]
    timer: StatementTimer
    samples: dict[str, Samples] = field(default_factory=dict)


async def sample(subject: Subject, kind: str, calls: int) -> None:
    """Time ``calls`` calls of one kind, adding to what was taken before."""
    call, samples = subject.calls[kind], subject.samples.setdefault(kind, Samples())
    subject.timer.take()
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        samples.seconds.append(time.perf_counter() - started)
    stats = subject.timer.take()
    samples.statements += sum(s.calls for s in stats.values())
    samples.driver += sum(s.seconds for s in stats.values())


def request(
    sessions: async_sessionmaker[AsyncSession],
    policy: ApplicationPolicy,
    action: Callable[[ActionContext], Awaitable[Any]],
) -> Callable[[], Awaitable[Any]]:
    """One request's worth: a session, the applicant's context, the action, the commit."""
    principal = Principal(subject=APPLICANT, roles=frozenset({Role.APPLICANT}), claims={}, token="")
    clock = TestClock()
    clock.set(NOW)
    outbox = deployment_outbox()

    async def call() -> Any:
        async with sessions() as session:
            ctx = ActionContext(
                session=session, principal=principal, clock=clock, policy=policy, outbox=outbox
            )
            result = await action(ctx)
            await session.commit()
            return result

    return call


async def prepare(databases: Databases, size: int, policy: ApplicationPolicy) -> Subject:
    """A filled database of ``size`` applications and the applicant's two calls on it."""
    url = await databases.fresh()
    (added, current), fill_seconds = await fill_database(
        url, lambda engine: fill(engine, size, policy, NOW)
    )
    engine = create_engine(url)
    sessions = session_factory(engine)
    read = request(sessions, policy, lambda ctx: read_application(ctx, current))
    listing = request(
        sessions,
        policy,
        lambda ctx: list_applications(ctx, status=None, ids=None, after=None, limit=20),
    )
    view, page = await read(), await listing()
    assert view.status is S.INCOMPLETE, view
    assert len(view.documents) == 3, view
    assert len(page.items) == 3, page
    return Subject(
        size, added, fill_seconds, engine, {"read": read, "list": listing}, StatementTimer(engine)
    )


async def measure(subjects: list[Subject], *, calls: int, warmup: int, blocks: int) -> None:
    """Warm every database up, then time them in alternating blocks, so that drift over the
    run (caches, the machine's other work) falls on every size alike."""
    for subject in subjects:
        for _ in range(warmup):
            for call in subject.calls.values():
                await call()
    for _ in range(blocks):
        for subject in subjects:
            for kind in subject.calls:
                await sample(subject, kind, calls // blocks)


def summarize(args: argparse.Namespace, results: list[Subject], env: str) -> list[str]:
    small, large = results[0], results[-1]
    lines = [
        f"- machine: {env}",
        "- data: per size, that many applications in all, two per background applicant, each "
        "with two documents, a notice once staff acted and a fee for every other one; the "
        "measured applicant has 3 (approved, void, incomplete with a revision request)",
        f"- measured: {args.calls} calls of each kind per size, after {args.warmup} warm-up "
        f"calls, in {args.blocks} blocks alternating between the sizes; each call in its own "
        "session with a commit, as a request: `read_application` (the status view of the "
        "current application) and `list_applications` (the applicant's own list)",
        "",
        "| applications | rows filled | fill s | read median ms | read p95 ms | statements "
        "| in the driver ms | list median ms | list p95 ms | statements | in the driver ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        read, listing = r.samples["read"], r.samples["list"]
        lines.append(
            f"| {r.size:,} | {r.rows:,} | {r.fill_seconds:.1f} "
            f"| **{read.median_ms:.2f}** | {read.p95_ms:.2f} | {read.statements_per_call:.0f} "
            f"| {read.driver_ms:.2f} | **{listing.median_ms:.2f}** | {listing.p95_ms:.2f} "
            f"| {listing.statements_per_call:.0f} | {listing.driver_ms:.2f} |"
        )
    if len(results) > 1:
        read_ratio = large.samples["read"].median_ms / small.samples["read"].median_ms
        list_ratio = large.samples["list"].median_ms / small.samples["list"].median_ms
        met = "met" if read_ratio <= TARGET_RATIO else "**missed**"
        lines += [
            "",
            f"Status view, {large.size:,} vs {small.size:,} applications: "
            f"**{read_ratio:.2f}x** (target <= {TARGET_RATIO}x: {met}); "
            f"the applicant's list: {list_ratio:.2f}x.",
        ]
    return lines


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    backend: Backend = args.backend
    policy = build_policy("CA")
    databases = Databases(backend)
    subjects: list[Subject] = []
    try:
        for size in args.sizes:
            subjects.append(await prepare(databases, size, policy))
            print(f"{size:,} applications: filled in {subjects[-1].fill_seconds:.1f} s", flush=True)
        await measure(subjects, calls=args.calls, warmup=args.warmup, blocks=args.blocks)
    finally:
        for subject in subjects:
            subject.timer.close()
            await subject.engine.dispose()
        await databases.close()
    env = await machine(backend)
    sizes = " vs ".join(f"{s:,}" for s in args.sizes)
    title = f"status view, {backend}, {sizes} applications"
    report(title, summarize(args, subjects, env), keep=not args.no_record)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sizes = sub.add_parser("sizes", help="the service functions, with few and many applications")
    sizes.add_argument("--backend", choices=BACKENDS, default="sqlite")
    sizes.add_argument(
        "--sizes",
        type=lambda text: [int(s) for s in text.split(",")],
        default=[1_000, 1_000_000],
        help="applications in the database, comma-separated, smallest first",
    )
    sizes.add_argument("--calls", type=int, default=200)
    sizes.add_argument("--warmup", type=int, default=20)
    sizes.add_argument("--blocks", type=int, default=4, help="alternations between the sizes")
    http = sub.add_parser("http", help="over HTTP under load: gateway, service and the floor")
    status_http.add_arguments(http)
    for command in (sizes, http):
        command.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    return parser.parse_args(argv)


async def http_async(args: argparse.Namespace) -> None:
    made, memory, fill_seconds = await status_http.run(args)
    await status_http_report.record(args, made, memory, fill_seconds)


def main() -> None:
    args = parse()
    asyncio.run(main_async(args) if args.command == "sizes" else http_async(args))


if __name__ == "__main__":
    main()
