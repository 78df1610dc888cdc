"""The least a sweep over N due applications can cost on this machine, without the service.

``python -m bench.sweep_floor --backend sqlite``: the same fresh, filled database as
``sweep_bench``, but the writes a void needs run as bare SQL through the bare driver, each
kind as one set-wise statement per chunk of 5,000 (``INSERT ... SELECT`` from the chunk's
ids, handed over as one JSON parameter): no ORM, no Python per row beyond making ids. What
this takes is the floor under any implementation of the sweep on this machine, by level:

- ``state``: the status change alone (``UPDATE ... RETURNING``, chunked, each chunk
  committed);
- ``minimum``: plus what every void needs whatever the design: its audit record, its fees
  forfeited, its notice recorded;
- ``product``: plus the outbox rows the service writes today: an ``application.void`` event
  with a delivery to each of two services, and a ``notification.requested`` event with a
  delivery to the mailer.

Prints a table per backend and appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import secrets
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import asyncpg

from applications.policy import build_policy
from bench.common import BACKENDS, NOW, Backend, Databases, machine, quiet_logs, report
from bench.fill import fill_database
from bench.sweep_bench import fill
from bench.sweep_report import TARGET_SECONDS
from certboard_core.sqlite import SQLITE_BULK_CACHE_MIB

LEVELS = ("state", "minimum", "product")
CHUNK = 5000
SUBSCRIBERS = ("exams", "supervision")
BODY = (
    "Your application was not completed by {day} and is now void. Its fees are forfeited. "
    "To apply again, submit a new application with new documents and fees."
)

# Each statement reads the chunk from :rows, a JSON array of
# [application id, void event id, notice id, notice event id] (32 hex digits each).
# Written once, for SQLite; PostgreSQL's version is derived below.
UPDATE = """UPDATE application SET status = 'void', closed_at = :now, version = version + 1
 WHERE id IN (SELECT id FROM application WHERE status = 'incomplete'
              AND last_day_to_complete < :today LIMIT :chunk)
   AND status = 'incomplete'
RETURNING id, last_day_to_complete"""
MINIMUM = {
    "audit": """INSERT INTO audit_record
 (occurred_at, actor, action, entity_type, entity_id, "before", "after")
SELECT :now, 'system:sweep', 'application.void', 'application', a.id,
       json_object('status', 'incomplete', 'version', a.version - 1),
       json_object('status', 'void', 'version', a.version)
  FROM json_each(:rows) r JOIN application a ON a.id = r.value ->> 0""",
    "forfeit": """UPDATE payment SET forfeited_at = :now
 WHERE application_id IN (SELECT r.value ->> 0 FROM json_each(:rows) r)
   AND forfeited_at IS NULL""",
    "notice": """INSERT INTO notification (id, application_id, reason, dedupe_key, recipient,
 subject, body, created_at, created_on, created_by)
SELECT r.value ->> 2, a.id AS application_id, 'voided', :key, a.email,
       'Your application is void', replace(:body, '{day}', a.last_day_to_complete),
       :now, :today, 'system:sweep'
  FROM json_each(:rows) r JOIN application a ON a.id = r.value ->> 0 WHERE true
ON CONFLICT DO NOTHING""",
}
PRODUCT = {
    "void event": """INSERT INTO outbox_event
 (id, type, aggregate_type, aggregate_id, occurred_at, payload)
SELECT r.value ->> 1, 'application.void', 'application', a.id, :now,
       json_object('application_id', a.id, 'applicant_id', a.applicant_id, 'on', :today)
  FROM json_each(:rows) r JOIN application a ON a.id = r.value ->> 0""",
    "void deliveries": """INSERT INTO outbox_delivery
 (event_id, subscriber, status, attempts, next_attempt_at)
SELECT r.value ->> 1, s.value, 'pending', 0, :now
  FROM json_each(:rows) r CROSS JOIN json_each(:subscribers) s""",
    "notice event": """INSERT INTO outbox_event
 (id, type, aggregate_type, aggregate_id, occurred_at, payload)
SELECT r.value ->> 3, 'notification.requested', 'notification', n.id, :now,
       json_object('notification_id', n.id, 'to', n.recipient, 'subject', n.subject,
                   'body', n.body)
  FROM json_each(:rows) r JOIN notification n ON n.id = r.value ->> 2""",
    "notice delivery": """INSERT INTO outbox_delivery
 (event_id, subscriber, status, attempts, next_attempt_at)
SELECT r.value ->> 3, 'mailer', 'pending', 0, :now FROM json_each(:rows) r""",
}
Times = defaultdict[str, float]
PARAMS = ("now", "today", "chunk", "rows", "body", "key", "subscribers")


def for_postgresql(sql: str) -> tuple[str, list[str]]:
    """The SQLite statement in PostgreSQL's words, and its parameters in $n order."""
    sql = (
        sql.replace("json_each(:rows) r", "json_array_elements(CAST(:rows AS json)) r")
        .replace("json_each(:subscribers) s", "unnest(CAST(:subscribers AS text[])) s(value)")
        .replace("r.value ->> 0", "CAST(r.value ->> 0 AS uuid)")
        .replace("r.value ->> 1", "CAST(r.value ->> 1 AS uuid)")
        .replace("r.value ->> 2", "CAST(r.value ->> 2 AS uuid)")
        .replace("r.value ->> 3", "CAST(r.value ->> 3 AS uuid)")
        .replace("json_object(", "json_build_object(")
        .replace("'on', :today", "'on', CAST(CAST(:today AS date) AS text)")
        .replace("a.last_day_to_complete)", "CAST(a.last_day_to_complete AS text))")
        .replace("RETURNING id, last_day", "RETURNING CAST(id AS text), last_day")
        .replace(":body", "CAST(:body AS text)")
        .replace(", a.id,", ", CAST(a.id AS text),")
        .replace("'application_id', a.id", "'application_id', CAST(a.id AS text)")
        .replace(", n.id,", ", CAST(n.id AS text),")
        .replace("'notification_id', n.id", "'notification_id', CAST(n.id AS text)")
        .replace("WHERE true\nON CONFLICT", "\nON CONFLICT")
    )
    used = [p for p in PARAMS if f":{p}" in sql]
    for position, name in enumerate(used, 1):
        sql = sql.replace(f":{name}", f"${position}")
    return sql, used


def statements(level: str) -> dict[str, str]:
    chosen = dict(MINIMUM) if level != "state" else {}
    if level == "product":
        chosen |= PRODUCT
    return chosen


def chunk_rows(ids: list[str]) -> str:
    """The chunk with three new ids per application (random: only their cost matters here)."""
    noise = secrets.token_hex(48 * len(ids))
    return json.dumps(
        [
            [i, *(noise[k + j : k + j + 32] for j in (0, 32, 64))]
            for i, k in zip(ids, range(0, 96 * len(ids), 96), strict=True)
        ]
    )


async def run_postgresql(url: str, level: str, times: Times) -> int:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    values: dict[str, Any] = {
        "now": NOW,
        "today": build_policy("CA").local_date(NOW),
        "chunk": CHUNK,
        "body": BODY,
        "key": "voided:once",
        "subscribers": list(SUBSCRIBERS),
    }
    update, update_params = for_postgresql(UPDATE)
    follow = {name: for_postgresql(sql) for name, sql in statements(level).items()}
    total = 0
    try:
        while True:
            started = time.perf_counter()
            async with conn.transaction():
                closed = await conn.fetch(update, *(values[p] for p in update_params))
                times["update"] += time.perf_counter() - started
                values["rows"] = chunk_rows([uuid.UUID(r[0]).hex for r in closed])
                for name, (sql, params) in follow.items():
                    step = time.perf_counter()
                    await conn.execute(sql, *(values[p] for p in params))
                    times[name] += time.perf_counter() - step
                step = time.perf_counter()
            times["commit"] += time.perf_counter() - step
            total += len(closed)
            if len(closed) < CHUNK:
                return total
    finally:
        await conn.close()


def run_sqlite(path: str, level: str, times: Times) -> int:
    # As certboard_core.db configures the service's connections.
    conn = sqlite3.connect(path, isolation_level=None)
    cache = f"cache_size=-{SQLITE_BULK_CACHE_MIB * 1024}"
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", cache):
        conn.execute(f"PRAGMA {pragma}")
    values: dict[str, Any] = {
        "now": NOW.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "today": build_policy("CA").local_date(NOW).isoformat(),
        "chunk": CHUNK,
        "body": BODY,
        "key": "voided:once",
        "subscribers": json.dumps(SUBSCRIBERS),
    }
    follow = statements(level)
    total = 0

    def timed(name: str, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = call()
        times[name] += time.perf_counter() - started
        return result

    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")
            closed = timed("update", lambda: conn.execute(UPDATE, values).fetchall())
            values["rows"] = chunk_rows([r[0] for r in closed])
            for name, sql in follow.items():
                timed(name, functools.partial(conn.execute, sql, values))
            timed("commit", lambda: conn.execute("COMMIT"))
            total += len(closed)
            if len(closed) < CHUNK:
                return total
    finally:
        conn.close()


async def one_level(databases: Databases, level: str, count: int) -> tuple[float, Times]:
    url = await databases.fresh()
    try:
        policy = build_policy("CA")
        await fill_database(
            url, lambda e: fill(e, count=count, others=count, paid_share=0.5, policy=policy)
        )
        times: Times = defaultdict(float)
        started = time.perf_counter()
        if databases.backend == "postgresql":
            done = await run_postgresql(url, level, times)
        else:
            done = await asyncio.to_thread(
                run_sqlite, url.removeprefix("sqlite+aiosqlite:///"), level, times
            )
        seconds = time.perf_counter() - started
        if done != count:
            raise RuntimeError(f"{level}: voided {done:,}, expected {count:,}")
        return seconds, times
    finally:
        await databases.drop(url)


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    backend: Backend = args.backend
    databases = Databases(backend)
    results = {}
    try:
        for level in LEVELS:
            results[level] = await one_level(databases, level, args.count)
            print(f"{level}: {results[level][0]:.2f} s", flush=True)
    finally:
        await databases.close()
    steps = ["update", *MINIMUM, *PRODUCT, "commit"]
    lines = [
        f"- machine: {await machine(backend)}",
        f"- data: as `sweep_bench` ({args.count:,} due, as many not due, half with a fee); "
        f"bare SQL through the bare driver ({'asyncpg' if backend == 'postgresql' else 'sqlite3'}"
        f"), chunks of {CHUNK:,}, one transaction each",
        "",
        "| level | total s | " + " | ".join(steps) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in steps) + " |",
        *(
            f"| {level} | **{seconds:.2f}** | "
            + " | ".join(f"{times[s]:.2f}" if s in times else "" for s in steps)
            + " |"
            for level, (seconds, times) in results.items()
        ),
        "",
        f"Target for the whole sweep: < {TARGET_SECONDS:.0f} s. The floor for what every void "
        f"needs (`minimum`) is {results['minimum'][0]:.2f} s here.",
    ]
    report(f"sweep floor, {backend}, {args.count:,} due", lines, keep=not args.no_record)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument("--count", type=int, default=100_000, help="applications due to void")
    parser.add_argument("--no-record", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    asyncio.run(main_async(parse(argv)))


if __name__ == "__main__":
    main()
