"""The renewal sweep's work as bare SQL through the bare driver: the floor under it here.

The same rows written as the service writes them, by the same plan (per chunk of 5,000: the
rows whose status time moved selected, updated, audited and announced with an event and its
deliveries to two services; then per reminder span the certifications owed that reminder
selected, their notices recorded and a ``notification.requested`` event with a delivery to
the mailer each), but no ORM, no SQLAlchemy, no Python per row beyond ids and JSON. Written
for SQLite; ``in_dialect`` derives PostgreSQL's words (``UUID(x)``/``TEXT(x)`` mark casts).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import asyncpg

from applications.certification.renewal_reminders import REASONS, once_per, words
from applications.policy import ApplicationPolicy
from applications.renewal.rules import Reminder
from applications.renewal.timeline import reminder_spans, status_cutoffs
from bench.renewal_floor_sql import REMIND, STATUS, dashed, in_dialect
from certboard_core.ids import new_ids
from certboard_core.sqlite import SQLITE_BULK_CACHE_MIB

CHUNK = 5000
SUBSCRIBERS = ("exams", "supervision")
Times = defaultdict[str, float]


class Floor:
    """One run of the bare-SQL sweep over a database, on either driver."""

    def __init__(self, url: str, dialect: str, policy: ApplicationPolicy, now: datetime) -> None:
        self.url, self.dialect, self.policy = url, dialect, policy
        self.today = policy.local_date(now)
        self.times: Times = defaultdict(float)
        self.wall = (0.0, 0.0)  # statuses, reminders: seconds, Python between statements too
        cut = {c.status.value: c.lowest for c in status_cutoffs(self.today, policy)}
        self.values: dict[str, Any] = {
            "now": now,
            "today": self.today,
            "day": self.today.isoformat(),
            "chunk": CHUNK,
            "actor": "system:sweep",
            "subscribers": list(SUBSCRIBERS),
            "active": cut["active"],
            "window": cut["in_renewal_window"],
            "lapsed": cut["lapsed"],
            "expired": cut["expired"] or date.min,
        }
        if dialect == "sqlite":
            self.values |= {
                "now": now.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "subscribers": json.dumps(SUBSCRIBERS),
                **{k: self.values[k].isoformat() for k in ("today", *STATUS_DATES)},
            }
        self.status = {k: in_dialect(v, dialect) for k, v in STATUS.items()}
        self.remind = {k: in_dialect(v, dialect) for k, v in REMIND.items()}

    def walled(self, part: str, run: Callable[[], int]) -> int:
        """``run`` (a part, SQLite's), its wall time kept as ``wall``'s half for ``part``."""
        started = time.perf_counter()
        done = run()
        seconds = time.perf_counter() - started
        self.wall = (seconds, self.wall[1]) if part == "statuses" else (self.wall[0], seconds)
        return done

    def _day(self, value: date) -> Any:
        return value.isoformat() if self.dialect == "sqlite" else value

    def moved_rows(self, found: list[Any], was: dict[str, str]) -> str:
        """[id hex, event id, from, to, version, number, application id, id] per row, ids
        written as text in the product's form (8-4-4-4-12)."""
        events = new_ids(len(found))
        return json.dumps(
            [
                [i, e, was[i], s, v, n, dashed(a), dashed(i)]
                for (i, n, a, s, v), e in zip(found, events, strict=True)
            ]
        )

    def notice_rows(self, found: list[Any], span: Any) -> str:
        make = words(span, self.today, self.policy)
        reason = REASONS[span.reason].value
        said = {d: make(date.fromisoformat(d)) for d in {row[2] for row in found}}
        ids, events = new_ids(len(found)), new_ids(len(found))
        return json.dumps(
            [
                [ids[k], a, f"{reason}:{once_per(span, d)}", e, *said[d], events[k]]
                for k, (a, e, d) in enumerate(found)
            ]
        )

    def span_values(self, span: Any) -> dict[str, Any]:
        reason = REASONS[span.reason].value
        suffix = f":{span.days_before}d" if span.reason is Reminder.BEFORE_EXPIRY else ""
        return {
            "latest": self._day(span.latest),
            "earliest": self._day(span.earliest or date.min),
            "prefix": f"{reason}:",
            "suffix": suffix,
            "reason": reason,
        }

    async def run(self) -> tuple[int, int]:
        """Statuses then reminders, a transaction per chunk; how many of each."""
        if self.dialect == "sqlite":
            return await _Sqlite(self).run()
        return await _Postgres(self).run()


STATUS_DATES = ("active", "window", "lapsed", "expired")


class _Sqlite:
    def __init__(self, floor: Floor) -> None:
        self.floor = floor

    async def run(self) -> tuple[int, int]:
        path = self.floor.url.removeprefix("sqlite+aiosqlite:///")
        conn = sqlite3.connect(path, isolation_level=None)
        cache = f"cache_size=-{SQLITE_BULK_CACHE_MIB * 1024}"
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", cache):
            conn.execute(f"PRAGMA {pragma}")
        try:
            return self.floor.walled("statuses", lambda: self._statuses(conn)), self.floor.walled(
                "reminders", lambda: self._reminders(conn)
            )
        finally:
            conn.close()

    def _timed(self, name: str, conn: sqlite3.Connection, sql: str, values: Any) -> list[Any]:
        started = time.perf_counter()
        found = conn.execute(sql, values).fetchall()
        self.floor.times[name] += time.perf_counter() - started
        return found

    def _statuses(self, conn: sqlite3.Connection) -> int:
        f, total = self.floor, 0
        values = dict(f.values)
        while True:
            conn.execute("BEGIN IMMEDIATE")
            due = self._timed("status select", conn, f.status["select"][0], values)
            was = dict(due)
            values["rows"] = json.dumps([[i] for i in was])
            found = self._timed("status update", conn, f.status["update"][0], values)
            values["rows"] = f.moved_rows(found, was)
            for name in ("audit", "event", "deliveries"):
                self._timed(f"status {name}", conn, f.status[name][0], values)
            self._timed("status commit", conn, "COMMIT", {})
            total += len(found)
            if len(found) < CHUNK:
                return total

    def _reminders(self, conn: sqlite3.Connection) -> int:
        f, total = self.floor, 0
        for span in reminder_spans(f.today, f.policy):
            values = dict(f.values) | f.span_values(span)
            while True:
                conn.execute("BEGIN IMMEDIATE")
                found = self._timed("remind select", conn, f.remind["select"][0], values)
                values["rows"] = f.notice_rows(found, span)
                for name in ("notice", "event", "delivery"):
                    self._timed(f"remind {name}", conn, f.remind[name][0], values)
                self._timed("remind commit", conn, "COMMIT", {})
                total += len(found)
                if len(found) < CHUNK:
                    break
        return total


class _Postgres:
    def __init__(self, floor: Floor) -> None:
        self.floor = floor

    async def run(self) -> tuple[int, int]:
        url = self.floor.url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.conn = await asyncpg.connect(url)
        try:
            started = time.perf_counter()
            moved = await self._statuses()
            middle = time.perf_counter()
            sent = await self._reminders()
            self.floor.wall = (middle - started, time.perf_counter() - middle)
            return moved, sent
        finally:
            await self.conn.close()

    async def _timed(self, name: str, statement: tuple[str, list[str]], values: Any) -> Any:
        sql, names = statement
        started = time.perf_counter()
        found = await self.conn.fetch(sql, *(values[n] for n in names))
        self.floor.times[name] += time.perf_counter() - started
        return found

    async def _statuses(self) -> int:
        f, total = self.floor, 0
        values = dict(f.values)
        while True:
            async with self.conn.transaction():
                due = await self._timed("status select", f.status["select"], values)
                was = {i.replace("-", ""): s for i, s in due}
                values["rows"] = json.dumps([[i] for i in was])
                found = await self._timed("status update", f.status["update"], values)
                found = [(i.replace("-", ""), n, a, s, v) for i, n, a, s, v in found]
                values["rows"] = f.moved_rows(found, was)
                for name in ("audit", "event", "deliveries"):
                    await self._timed(f"status {name}", f.status[name], values)
                step = time.perf_counter()
            f.times["status commit"] += time.perf_counter() - step
            total += len(found)
            if len(found) < CHUNK:
                return total

    async def _reminders(self) -> int:
        f, total = self.floor, 0
        for span in reminder_spans(f.today, f.policy):
            values = dict(f.values) | f.span_values(span)
            while True:
                async with self.conn.transaction():
                    found = await self._timed("remind select", f.remind["select"], values)
                    found = [(a.replace("-", ""), e, d) for a, e, d in found]
                    values["rows"] = f.notice_rows(found, span)
                    for name in ("notice", "event", "delivery"):
                        await self._timed(f"remind {name}", f.remind[name], values)
                total += len(found)
                if len(found) < CHUNK:
                    break
        return total
