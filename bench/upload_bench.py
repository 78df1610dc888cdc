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
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import State

from applications.certificate import batch as certificate_batch
from applications.certificate.models import TrainingCertificate
from applications.certificate.repository import CertificateRepository
from applications.config import Settings
from applications.main import create_app
from applications.policy import ApplicationPolicy, build_policy
from applications.provider import router as provider_router
from certboard_core import idempotency, migrations
from certboard_core.auth import Role
from certboard_core.clock import TestClock
from certboard_core.devissuer import ensure_dev_key, mint_token

if __package__ in (None, ""):  # run as a file: `bench` is importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import common, fill, rows, timing

RESULTS = Path(__file__).with_name("RESULTS-upload.md")
TARGET_SECONDS = 10.0
GROWTH_SIZES = (1_000, 10_000, 100_000)
Stats = timing.StatementStats
Person = tuple[str, str, date]  # applicant id, email, date of birth of a stored application


class GcTimer:
    """Time the interpreter spends in garbage collection (it grows with what the heap holds)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def take(self) -> float:
        taken, self.seconds = self.seconds, 0.0
        return taken


@dataclass
class Sample:
    """One request: its time, its steps, its statements and the collector's share of it."""

    seconds: float
    phases: dict[str, timing.Phase]
    statements: dict[str, Stats]
    gc_seconds: float


@dataclass
class Run:
    total: int
    batch: int
    upload: list[Sample]
    replay: list[Sample]
    counts: dict[str, int]
    matched: int
    expected_matched: int
    stored: int
    analyzes: int

    @property
    def upload_seconds(self) -> float:
        return sum(s.seconds for s in self.upload)

    @property
    def replay_seconds(self) -> float:
        return sum(s.seconds for s in self.replay)


@asynccontextmanager
async def fresh_database(backend: common.Backend, folder: Path) -> AsyncIterator[str]:
    """A new database at the newest migration, dropped afterwards (also after a failure)."""
    name = f"certboard_upbench_{uuid.uuid4().hex[:8]}"
    admin = common.PG_ADMIN_URL
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / name}.db"
    else:
        url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        url = f"{url}/{name}"
        conn = await asyncpg.connect(admin, timeout=10)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
    try:
        # Alembic's env runs its own event loop: keep it off this one.
        await asyncio.to_thread(migrations.upgrade, common.PACKAGE, url)
        yield url
    finally:
        if backend == "postgresql":
            conn = await asyncpg.connect(admin, timeout=10)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()


async def preload(url: str, count: int, policy: ApplicationPolicy) -> list[Person]:
    """``count`` applications in the states a running board has, inserted set-wise (COPY on
    PostgreSQL, executemany on SQLite) and settled as a running database would be."""
    apps = [rows.not_due(i, now=common.NOW, policy=policy) for i in range(count)]

    async def insert(engine: AsyncEngine) -> int:
        return await fill.bulk_insert(engine, "application", apps)

    await fill.fill_database(url, insert)
    return [(a["applicant_id"], a["email"], a["date_of_birth"]) for a in apps]


def certificate(k: int, *, program_id: str, people: list[Person], today: date) -> dict[str, Any]:
    """Certificate number ``k`` as a provider sends it. Of every 20: one names the applicant
    id of a stored application, one has a stored application's email and date of birth, two
    name applicant ids nobody has yet; the rest wait for their person to apply. One in 200
    is rejected (completed in the future)."""
    kind = k % 20
    row: dict[str, Any] = {
        "certificate_id": f"RTI-{k:07d}",
        "legal_name": f"Trainee {k} Okafor-Lopez",
        "date_of_birth": date(1970 + k % 30, 1 + k % 12, 1 + k % 28).isoformat(),
        "email": f"Trainee.{k}@Example.org",
        "program_id": program_id,
        "completion_date": (today - timedelta(days=1 + k % 600)).isoformat(),
        "hours": 80 + k % 3 * 20,
    }
    applicant_id, email, born = people[(k // 20) % len(people)]
    if kind == 0:
        row["applicant_id"] = applicant_id
    elif kind == 10:
        row["email"], row["date_of_birth"] = email, born.isoformat()
    elif kind in (5, 15):
        row["applicant_id"] = f"unknown-{k}"
    if k % 200 == 199:
        row["completion_date"] = (today + timedelta(days=5)).isoformat()
    return row


def expected_matches(total: int) -> int:
    return sum(1 for k in range(total) if k % 20 in (0, 10) and k % 200 != 199)


@dataclass(frozen=True)
class Provider:
    id: str
    program_id: str
    token: str

    @property
    def path(self) -> str:
        return f"/v1/providers/{self.id}/certificates"


async def make_provider(client: httpx.AsyncClient, private_key: Path, name: str) -> Provider:
    """A provider with an 80-hour program, made by staff over the API as in the tests, and
    the provider's own token."""
    staff = mint_token(private_key, subject="bench-staff", roles=[Role.STAFF])
    headers = {"Authorization": f"Bearer {staff}"}
    made = await client.post("/v1/providers", json={"name": name}, headers=headers)
    assert made.status_code == 201, made.text
    provider_id = made.json()["id"]
    program = await client.post(
        f"/v1/providers/{provider_id}/programs",
        json={"name": "Peer Support 80", "hours": 80},
        headers=headers,
    )
    assert program.status_code == 201, program.text
    token = mint_token(
        private_key,
        subject=f"client-{provider_id}",
        roles=[Role.PROVIDER],
        extra_claims={"provider_id": provider_id},
    )
    return Provider(provider_id, program.json()["id"], token)


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


def build_batches(
    provider: Provider, *, total: int, batch: int, people: list[Person], today: date
) -> list[tuple[dict[str, str], bytes]]:
    """The requests, serialised beforehand: the client's JSON encoding is not measured."""
    batches = []
    for start in range(0, total, batch):
        certificates = [
            certificate(k, program_id=provider.program_id, people=people, today=today)
            for k in range(start, min(start + batch, total))
        ]
        headers = {
            "Authorization": f"Bearer {provider.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{uuid.uuid4()}",
        }
        batches.append((headers, json.dumps({"certificates": certificates}).encode()))
    return batches


async def stored_and_matched(engine: AsyncEngine, provider: Provider) -> tuple[int, int]:
    C = TrainingCertificate  # noqa: N806
    mine = col(C.provider_id) == uuid.UUID(provider.id)
    async with engine.connect() as conn:
        stored = (await conn.execute(select(func.count()).where(mine))).scalar_one()
        matched = (
            await conn.execute(select(func.count()).where(mine, col(C.application_id).is_not(None)))
        ).scalar_one()
    return int(stored), int(matched)


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


def check_answers(first: list[httpx.Response], second: list[httpx.Response]) -> dict[str, int]:
    """Every batch answered 200, every resend replayed the first answer; the row counts."""
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for a, b in zip(first, second, strict=True):
        assert a.status_code == 200, a.text[:500]
        assert "Idempotent-Replayed" not in a.headers
        assert b.status_code == 200, b.text[:500]
        assert b.headers.get("Idempotent-Replayed") == "true"
        body = a.json()
        assert b.json() == body, "a replay differs from the first answer"
        for outcome in counts:
            counts[outcome] += body["batch"][outcome]
    return counts


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def data_line(r: Run, applications: int) -> str:
    return (
        f"- data: {applications:,} applications stored beforehand (waiting on staff, "
        f"incomplete, approved, final); one provider, one 80-hour program; "
        f"{r.total:,} certificates in batches of {r.batch:,}, each with its own "
        "Idempotency-Key; 5% name a stored applicant id, 5% match a stored email and date of "
        "birth, 10% name an unknown applicant id, 0.5% are rejected; no files attached"
    )


def merged(samples: Sequence[Sample]) -> tuple[dict[str, timing.Phase], dict[str, Stats]]:
    """The steps and the statements of several requests, added up."""
    phases: dict[str, timing.Phase] = {}
    statements: dict[str, Stats] = {}
    for sample in samples:
        for name, p in sample.phases.items():
            phase = phases.setdefault(name, timing.Phase())
            phase.calls += p.calls
            phase.wall += p.wall
            phase.driver += p.driver
        for shape, st in sample.statements.items():
            stats = statements.setdefault(shape, Stats())
            stats.calls += st.calls
            stats.seconds += st.seconds
            stats.rows += st.rows
    return phases, statements


def step_table(samples: Sequence[Sample]) -> list[str]:
    """Markdown rows: each step's time (nested steps excluded), in the driver and in Python."""
    phases, _ = merged(samples)
    total = sum(s.seconds for s in samples)
    lines = [
        "| step (nested: a > b) | calls | s | in the driver s | Python s | share |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in phases.items():
        lines.append(
            f"| {name} | {p.calls} | {p.wall:.3f} | {p.driver:.3f} | {p.wall - p.driver:.3f} "
            f"| {p.wall / total:.0%} |"
        )
    collected = sum(s.gc_seconds for s in samples)
    lines.append(
        f"| (garbage collection, within the above) | | {collected:.3f} | | | "
        f"{collected / total:.0%} |"
    )
    return lines


def detail_lines(r: Run) -> list[str]:
    _, statements = merged(r.upload)
    return [
        f"Stored {r.stored:,} certificates, {r.matched:,} matched to an application "
        f"(expected {r.expected_matched:,}). Where the uploads' {r.upload_seconds:.2f} s went, "
        "per statement (time inside the driver; COMMIT is timed in the `commit` step below):",
        "",
        *timing.statement_table(statements, r.upload_seconds, top=10),
        "",
        "By step (`(all else)` is HTTP, JSON, auth and the request and response models; "
        "`receive_batch`'s own time is the row checks and building the results):",
        "",
        *step_table(r.upload),
    ]


def single_lines(r: Run) -> list[str]:
    verdict = "met" if r.upload_seconds < TARGET_SECONDS else "**missed**"
    lines = [
        "| batch | upload s | replay s |",
        "| ---: | ---: | ---: |",
        *(
            f"| {i + 1} | {u.seconds:.3f} | {p.seconds:.3f} |"
            for i, (u, p) in enumerate(zip(r.upload, r.replay, strict=True))
        ),
        f"| **all** | **{r.upload_seconds:.2f}** | **{r.replay_seconds:.2f}** |",
        "",
        f"{r.total:,} certificates uploaded in **{r.upload_seconds:.2f} s** (target < "
        f"{TARGET_SECONDS:.0f} s: {verdict}); accepted {r.counts['accepted']:,}, duplicate "
        f"{r.counts['duplicate']:,}, rejected {r.counts['rejected']:,}. All batches resent: "
        f"{r.replay_seconds:.2f} s, every one replayed.",
        "",
    ]
    return lines + detail_lines(r)


def drift_lines(r: Run, edge: int = 10) -> list[str]:
    """What one batch costs among the first ``edge`` batches and among the last ones."""
    head, tail = r.upload[:edge], r.upload[-edge:]
    (head_steps, head_sql), (tail_steps, tail_sql) = merged(head), merged(tail)
    rows = [
        ("(the whole request)", mean([s.seconds for s in head]), mean([s.seconds for s in tail]))
    ]
    rows += [
        (f"step: {name}", head_steps[name].wall / edge, p.wall / edge)
        for name, p in tail_steps.items()
        if name in head_steps
    ]
    rows.append(
        (
            "garbage collection",
            mean([s.gc_seconds for s in head]),
            mean([s.gc_seconds for s in tail]),
        )
    )
    for shape, st in sorted(tail_sql.items(), key=lambda kv: -kv[1].seconds)[:6]:
        first = head_sql[shape].seconds if shape in head_sql else 0.0
        rows.append(("`" + shape.replace("|", "\\|") + "`", first / edge, st.seconds / edge))
    lines = [
        f"Per batch, the first {edge} batches against the last {edge} "
        f"({r.stored:,} certificates stored by the end):",
        "",
        f"| what | s per batch, first {edge} | s per batch, last {edge} | growth |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, first, last in rows:
        growth = f"{last / first:.1f}x" if first > 0 else "n/a"
        lines.append(f"| {name} | {first:.4f} | {last:.4f} | {growth} |")
    tenth = max(1, len(r.upload) // 10)
    means = [
        mean([s.seconds for s in r.upload[i : i + tenth]]) for i in range(0, len(r.upload), tenth)
    ]
    lines += ["", "Mean batch s by tenth of the run: " + ", ".join(f"{m:.3f}" for m in means)]
    return lines


def growth_lines(runs: list[Run]) -> list[str]:
    lines = [
        "| certificates | batches | upload s | s per 1,000 | replay s | s per 1,000 replayed "
        "| stored | matched |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r.total:,} | {len(r.upload)} | {r.upload_seconds:.2f} "
            f"| {r.upload_seconds / r.total * 1000:.3f} | {r.replay_seconds:.2f} "
            f"| {r.replay_seconds / r.total * 1000:.3f} | {r.stored:,} | {r.matched:,} |"
        )
    small, large = runs[0], runs[-1]
    ratio = (large.upload_seconds / large.total) / (small.upload_seconds / small.total)
    verdict = "linear" if ratio < 1.5 else "**not linear**"
    lines += [
        "",
        f"Cost per 1,000 at {large.total:,} / at {small.total:,}: **{ratio:.2f}x** "
        f"({verdict}; 1.0 is exactly linear).",
        "",
        *drift_lines(large),
        "",
        f"The {large.total:,} run in detail:",
        "",
    ]
    return lines + detail_lines(large)


def record(title: str, lines: list[str], *, keep: bool) -> None:
    """Print a section; if ``keep``, append it, dated, to bench/RESULTS-upload.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {stamp}: {title}", "", *lines, ""]
    print("\n".join(section), flush=True)
    if not keep:
        return
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Certificate upload benchmark results\n\nAppended by `bench/upload_bench.py`; "
            "see its docstring for what it measures.\n\n"
        )
    with RESULTS.open("a") as out:
        out.write("\n".join(section) + "\n")


async def server_line(autoanalyze: bool, runs: list[Run]) -> str:
    conn = await asyncpg.connect(common.PG_ADMIN_URL, timeout=10)
    try:
        autovacuum = await conn.fetchval("SHOW autovacuum")
    finally:
        await conn.close()
    if not autoanalyze:
        return (
            f"- server: autovacuum {autovacuum}; no ANALYZE after the fill's, so the planner "
            "keeps the statistics of the empty certificate table"
        )
    analyzed = ", ".join(f"{r.analyzes} at {r.total:,}" for r in runs)
    return (
        f"- server: autovacuum {autovacuum}; what-if `--autoanalyze`: ANALYZE between batches "
        f"(untimed) whenever autovacuum's default rule would have ({analyzed})"
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
