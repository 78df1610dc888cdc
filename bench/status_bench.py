"""One applicant's status view with few and with many applications in the database.

``python -m bench.status_bench --backend sqlite`` fills a fresh database per size (by default
1,000 and 1,000,000 applications, spread over many applicants, with their documents, notices
and fees), then times the applicant's status view (``read_application``) and list
(``list_applications``) through the service functions, each call in its own session as a
request has. Prints a table and appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import DocumentKind
from applications.application.service import list_applications, read_application
from applications.context import ActionContext
from applications.notification.models import NotificationReason
from applications.policy import ApplicationPolicy, build_policy
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
)
from bench.fill import Row, bulk_insert, fill_database
from bench.timing import StatementTimer, median, percentile
from certboard_core.auth import Principal, Role
from certboard_core.clock import TestClock
from certboard_core.db import create_engine, session_factory

S = ApplicationStatus
APPLICANT = "applicant-measured"
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


def measured_applicant(policy: ApplicationPolicy) -> tuple[list[tuple[str, Row]], uuid.UUID]:
    """Three applications of the measured applicant: one approved, one long void, and the
    current one, incomplete, with a revision request and a replaced diploma."""
    made: list[tuple[str, Row]] = []
    specs = [
        (S.APPROVED, NOW - timedelta(days=200)),
        (S.VOID, NOW - timedelta(days=500)),
        (S.INCOMPLETE, NOW - timedelta(days=40)),
    ]
    current: uuid.UUID | None = None
    for n, (status, submitted_at) in enumerate(specs):
        app = rows.application(
            10_000_000 + n,
            status=status,
            submitted_at=submitted_at,
            policy=policy,
            applicant_id=APPLICANT,
        )
        made.append(("application", app))
        made += [("application_document", d) for d in rows.documents_of(app)]
        made += [("notification", notice) for notice in rows.notices_of(app, policy)]
        made.append(("payment", rows.payment(app["id"], at=submitted_at)))
        made.append(
            (
                "notification",
                rows.notification(
                    app["id"],
                    app["email"],
                    NotificationReason.REVISION_REQUESTED,
                    at=submitted_at + timedelta(days=6),
                    policy=policy,
                ),
            )
        )
        current = app["id"]
    assert current is not None
    later = NOW - timedelta(days=30)
    made += [
        ("revision_request", rows.revision_request(current, at=later, items=["diploma"])),
        ("application_document", rows.document(current, DocumentKind.DIPLOMA, at=later, version=2)),
    ]
    return made, current


async def fill(engine: AsyncEngine, size: int, policy: ApplicationPolicy) -> tuple[int, uuid.UUID]:
    """``size`` applications in all, two per background applicant, then their documents,
    notices and fees (a fee for every other one), one bulk insert per table; returns the rows
    added and the id of the measured applicant's current application."""
    kept = ("id", "email", "submitted_at", "first_notified_on")
    background: list[Row] = []

    def applications() -> Iterator[Row]:
        for i in range(size - 3):
            app = rows.not_due(i, now=NOW, policy=policy, applicant_id=f"applicant-{i // 2}")
            background.append({k: app[k] for k in kept})
            yield app

    added = await bulk_insert(engine, "application", applications())
    added += await bulk_insert(
        engine, "application_document", (d for a in background for d in rows.documents_of(a))
    )
    added += await bulk_insert(
        engine, "notification", (n for a in background for n in rows.notices_of(a, policy))
    )
    added += await bulk_insert(
        engine,
        "payment",
        (rows.payment(a["id"], at=a["submitted_at"]) for a in background[::2]),
    )
    own, current = measured_applicant(policy)
    tables = ("application", "application_document", "notification", "payment", "revision_request")
    for name in tables:
        added += await bulk_insert(engine, name, [r for t, r in own if t == name])
    return added, current


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
        url, lambda engine: fill(engine, size, policy)
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
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s) for s in text.split(",")],
        default=[1_000, 1_000_000],
        help="applications in the database, comma-separated, smallest first",
    )
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--blocks", type=int, default=4, help="alternations between the sizes")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    return parser.parse_args(argv)


def main() -> None:
    asyncio.run(main_async(parse()))


if __name__ == "__main__":
    main()
