"""Providers' certificate uploads: ``.venv/bin/python bench/upload_bench.py --backend sqlite``.

A fresh migrated database holding 10,000 applications; the applications app in this process,
called over httpx's ASGI transport (this measures the service, its checks and its SQL, not a
network). A provider sends ``--total`` certificates in batches of ``--batch``, each batch with
its own Idempotency-Key, then sends every batch again (replays). ``--growth`` does the same
for 1,000, 10,000 and 100,000 certificates. Each request is timed, and split per statement
and per step of the upload. Prints tables and appends them, dated, to bench/RESULTS-upload.md
(``--no-record``: print only). ``--cprofile FILE`` profiles the (largest) uploads;
``--autoanalyze`` is a PostgreSQL what-if that runs ANALYZE between batches as autovacuum
would, for servers (like this machine's) that run with autovacuum off.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import State

from applications.certificate import batch as certificate_batch
from applications.certificate.repository import CertificateRepository
from applications.config import Settings
from applications.main import create_app
from applications.policy import build_policy
from applications.provider import router as provider_router
from certboard_core import idempotency
from certboard_core.clock import TestClock
from certboard_core.devissuer import ensure_dev_key

if __package__ in (None, ""):  # run as a file: `bench` is importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import common, timing
from bench.timing import GcTimer
from bench.upload_data import (
    build_batches,
    expected_matches,
    fresh_database,
    make_provider,
    preload,
    stored_and_matched,
)
from bench.upload_report import (
    Run,
    Sample,
    check_answers,
    data_line,
    growth_lines,
    record,
    server_line,
    single_lines,
)

GROWTH_SIZES = (1_000, 10_000, 100_000)


async def send_all(
    client: httpx.AsyncClient,
    path: str,
    batches: Sequence[tuple[dict[str, str], bytes]],
    *,
    engine: AsyncEngine,
    profile: cProfile.Profile | None = None,
    between: Callable[[], Awaitable[None]] | None = None,
) -> tuple[list[Sample], list[httpx.Response]]:
    """Send the batches one after another, as a provider would; time each request (and run
    ``between`` after each, untimed)."""
    samples, answers = [], []
    timer, collector = timing.StatementTimer(engine), GcTimer()
    gc.callbacks.append(collector)
    try:
        for headers, body in batches:
            phases = timing.Phases(engine)
            with phases.watching(phase_targets()) as missing:
                if missing:
                    raise RuntimeError(f"no longer in the service: {missing}")
                if profile is not None:
                    profile.enable()
                started = time.perf_counter()
                answer = await client.post(path, content=body, headers=headers)
                seconds = time.perf_counter() - started
                if profile is not None:
                    profile.disable()
            samples.append(Sample(seconds, phases.phases, timer.take(), collector.take()))
            answers.append(answer)
            if between is not None:
                await between()
                timer.take()  # what ran between requests is not the upload's
                collector.take()
    finally:
        gc.callbacks.remove(collector)
        timer.close()
    return samples, answers


class AutoAnalyze:
    """What-if for PostgreSQL: what autovacuum's autoanalyze does under default settings
    (ANALYZE a table once more than 50 rows plus 10% of it changed since the last ANALYZE),
    run between requests and untimed. The server here runs with autovacuum off; without
    this, statistics and cached generic plans stay those of the empty tables."""

    CHANGED = """SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                 WHERE s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)"""

    def __init__(self, url: str) -> None:
        self.dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.runs = 0

    async def __call__(self) -> None:
        conn = await asyncpg.connect(self.dsn, timeout=10)
        try:
            for (name,) in await conn.fetch(self.CHANGED):
                await conn.execute(f'ANALYZE "{name}"')
                self.runs += 1
        finally:
            await conn.close()


def phase_targets() -> list[tuple[object, str]]:
    """The steps of an upload worth timing apart (looked up at each call, so wrappable)."""
    return [
        (idempotency, "claim"),
        (provider_router, "receive_batch"),
        (CertificateRepository, "existing"),
        (CertificateRepository, "insert_new"),
        (CertificateRepository, "applications_for"),
        (certificate_batch, "record_audits"),
        (idempotency, "complete"),
        (AsyncSession, "commit"),
    ]


@asynccontextmanager
async def service(url: str, folder: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path, State]]:
    """The applications app on ``url``, built and started as the tests do, and a client."""
    private_key = ensure_dev_key(folder / "data")
    settings = Settings(
        environment="test",
        data_dir=folder / "data",
        database_url=url,
        document_dir=folder / "documents",
        notification_dir=folder / "mail",
        log_json=False,
        log_level="WARNING",
    )
    clock = TestClock()
    clock.set(common.NOW)
    app = create_app(settings, clock=clock, run_background=False)
    transport = httpx.ASGITransport(app=app)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url="http://applications") as client,
    ):
        yield client, private_key, app.state


async def run(
    backend: common.Backend,
    *,
    total: int,
    batch: int,
    applications: int,
    profile: cProfile.Profile | None,
    autoanalyze: bool,
) -> Run:
    """One fresh database: preload, upload every batch, resend every batch, count."""
    policy = build_policy("CA", {})
    today = policy.local_date(common.NOW)
    with tempfile.TemporaryDirectory(prefix="certboard-upbench-") as tmp:
        folder = Path(tmp)
        async with fresh_database(backend, folder) as url:
            people = await preload(url, applications, policy)
            async with service(url, folder) as (client, private_key, state):
                # First requests compile statements (and prepare them on PostgreSQL): another
                # provider's batch pays for that before anything is timed.
                warm = await make_provider(client, private_key, "Warm-up Institute")
                for headers, body in build_batches(
                    warm, total=batch, batch=batch, people=people, today=today
                ):
                    answer = await client.post(warm.path, content=body, headers=headers)
                    assert answer.status_code == 200, answer.text[:500]
                provider = await make_provider(client, private_key, "Bench Institute")
                batches = build_batches(
                    provider, total=total, batch=batch, people=people, today=today
                )
                between = AutoAnalyze(url) if autoanalyze else None
                upload, first = await send_all(
                    client,
                    provider.path,
                    batches,
                    engine=state.engine,
                    profile=profile,
                    between=between,
                )
                replay, second = await send_all(client, provider.path, batches, engine=state.engine)
                counts = check_answers(first, second)
                stored, matched = await stored_and_matched(state.engine, provider)
    return Run(
        total=total,
        batch=batch,
        upload=upload,
        replay=replay,
        counts=counts,
        matched=matched,
        expected_matched=expected_matches(total),
        stored=stored,
        analyzes=between.runs if between is not None else 0,
    )


async def main(args: argparse.Namespace) -> None:
    common.quiet_logs()
    load = os.getloadavg()[0]  # other work on the machine shows in the figures
    profile = cProfile.Profile() if args.cprofile else None
    sizes = GROWTH_SIZES if args.growth else (args.total,)
    runs = []
    for size in sizes:
        # Only the largest run is profiled: that is where growth would show.
        r = await run(
            args.backend,
            total=size,
            batch=args.batch,
            applications=args.applications,
            profile=profile if size == sizes[-1] else None,
            autoanalyze=args.autoanalyze,
        )
        print(f"{size:,}: uploads {r.upload_seconds:.2f} s, replays {r.replay_seconds:.2f} s")
        runs.append(r)
    header = [
        f"- machine: {await common.machine(args.backend)}; load average {load:.2f} at the start",
        *([await server_line(args.autoanalyze, runs)] if args.backend == "postgresql" else []),
        data_line(runs[-1], args.applications),
        "- measured: each request over httpx.ASGITransport into the app in this process "
        "(validation, SQL and commit; no network), then the same batches resent; before "
        "that, another provider's batch of the same size warms the process up (untimed)",
        "",
    ]
    backend = f"{args.backend}{' + autoanalyze what-if' if args.autoanalyze else ''}"
    if args.growth:
        title = f"upload growth, {backend}, " + " / ".join(f"{s:,}" for s in sizes)
        record(title, header + growth_lines(runs), keep=not args.no_record)
    else:
        title = f"upload, {backend}, {args.total:,} in batches of {args.batch:,}"
        record(title, header + single_lines(runs[0]), keep=not args.no_record)
    if profile is not None:
        profile.dump_stats(args.cprofile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=common.BACKENDS, required=True)
    parser.add_argument("--total", type=int, default=10_000, help="certificates to send")
    parser.add_argument("--batch", type=int, default=1_000, help="certificates per request")
    parser.add_argument("--growth", action="store_true", help="1,000 / 10,000 / 100,000")
    parser.add_argument("--applications", type=int, default=10_000, help="stored beforehand")
    parser.add_argument("--cprofile", metavar="FILE", help="profile the (largest) uploads")
    parser.add_argument(
        "--autoanalyze",
        action="store_true",
        help="PostgreSQL what-if: ANALYZE between batches as autovacuum would (untimed)",
    )
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    if args.autoanalyze and args.backend != "postgresql":
        parser.error("--autoanalyze is for PostgreSQL")
    if not 1 <= args.batch <= 1_000:
        parser.error("--batch: the API takes 1 to 1,000 certificates per request")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
