"""The floor under CE progress: the same answer as one set-wise SQL statement through the bare
driver (``sqlite3`` with the service's pragmas, or ``asyncpg``), no ORM, no Python per row.

Per certification: the hours earned in the current cycle (the one ending on its
valid-through day), by category and in total, and the hours still needed. The cycle's first
day is worked out in SQL from the certification row, so the floor does not even pay for
planning cycles in Python.

- ``CA``: no carry-over and a per-cycle minimum: one GROUP BY over the ledger joined to each
  certification's cycle window.
- ``MT``: carry-over makes each year depend on the one before, which no GROUP BY can say; a
  recursive CTE walks the years (calendar years, so a year's hours are a GROUP BY on the
  year), still one statement. Its suicide-prevention minimum spans pairs of years from the
  first full year.

The statements hold the presets' numbers as parameters; they are written for the presets'
cycle conventions (CA anniversary periods, MT calendar years), not for any policy.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import asyncpg

from applications.renewal.categories import CeCategory
from applications.renewal.policy import RenewalPolicy
from certboard_core.sqlite import SQLITE_CACHE_MIB

C = CeCategory

# CA. {start} is the cycle's first day from the certification row.
CA = """SELECT c.id,
       COALESCE(SUM(r.hours), 0) AS earned,
       COALESCE(SUM(CASE WHEN r.category = 'general' THEN r.hours END), 0) AS general,
       COALESCE(SUM(CASE WHEN r.category = 'law_and_ethics' THEN r.hours END), 0) AS ethics,
       COALESCE(SUM(CASE WHEN r.category = 'suicide_prevention' THEN r.hours END), 0)
         AS suicide
  FROM certification c
  LEFT JOIN ce_record r ON r.certification_id = c.id AND r.status = 'accepted'
   AND r.completed_on BETWEEN {start} AND c.valid_through
 GROUP BY c.id"""
CA_NEEDED = """SELECT id, earned, general, ethics, suicide,
       {greatest}({total} - earned, {ethics} - ethics, 0) AS still_needed
  FROM ({inner}) AS p"""

# MT: a recursive CTE walks each certification's years from the year of issue; each year's
# hours come from the ledger's index (certification, day) as the walk reaches it.
# {required} is the walked year's requirement: none in the year of issue (k = 0).
MT_HOURS = """(SELECT COALESCE(SUM(r.hours), 0) FROM ce_record r
      WHERE r.certification_id = {id} AND r.status = 'accepted'{category}
        AND r.completed_on BETWEEN {first} AND {last})"""
MT = """WITH RECURSIVE walk(id, k, year, last, carried_in, suicide_before, earned, suicide) AS (
  SELECT c.id, 0, c.year, c.last, CAST(0 AS bigint), CAST(0 AS bigint),
         {issue_year_hours}, {issue_year_suicide}
    FROM (SELECT id, issued_on, {year_of_issue} AS year, {year_of_expiry} AS last
            FROM certification) c
  UNION ALL
  SELECT w.id, w.k + 1, w.year + 1, w.last,
         {least}(w.earned - {least}(w.earned, {required} - {least}(w.carried_in, {required})),
                 {cap}),
         CASE WHEN w.k % 2 = 0 THEN 0 ELSE w.suicide_before + w.suicide END,
         {next_year_hours}, {next_year_suicide}
    FROM walk w
   WHERE w.year < w.last
)
SELECT w.id, w.earned, w.suicide, w.carried_in, w.suicide_before + w.suicide AS suicide_in_span,
       {greatest}({required} - {least}(w.carried_in, {required})
                  - {least}(w.earned, {required} - {least}(w.carried_in, {required})),
                  CASE WHEN w.k >= 1 AND w.k % 2 = 0
                       THEN {greatest}(0, {suicide} - w.suicide_before - w.suicide)
                       ELSE 0 END) AS still_needed
  FROM walk w
 WHERE w.year = w.last"""
MT_REQUIRED = "(CASE WHEN w.k = 0 THEN 0 ELSE {hours} END)"

DIALECT = {
    "sqlite": {
        "greatest": "max",
        "least": "min",
        "start": "max(c.issued_on, date(c.valid_through, '+1 day', '-{months} months'))",
        "year_of_issue": "CAST(strftime('%Y', issued_on) AS INTEGER)",
        "year_of_expiry": "CAST(strftime('%Y', valid_through) AS INTEGER)",
        "jan1": "printf('%d-01-01', {year})",
        "dec31": "printf('%d-12-31', {year})",
    },
    "postgresql": {
        "greatest": "GREATEST",
        "least": "LEAST",
        "start": "GREATEST(c.issued_on, "
        "CAST(c.valid_through + 1 - interval '{months} months' AS date))",
        "year_of_issue": "CAST(extract(year FROM issued_on) AS integer)",
        "year_of_expiry": "CAST(extract(year FROM valid_through) AS integer)",
        "jan1": "make_date({year}, 1, 1)",
        "dec31": "make_date({year}, 12, 31)",
    },
}


def statement(preset: str, backend: str, policy: RenewalPolicy) -> str:
    """The floor's one statement for ``preset`` on ``backend``, the policy's numbers in it."""
    words = DIALECT[backend]
    total = policy.ce_hours_per_cycle_hundredths
    minimum = {m.category: m.hours_hundredths for m in policy.ce_minimums}
    if preset == "CA":
        start = words["start"].format(months=policy.certification_valid_months)
        inner = CA.format(start=start)
        return CA_NEEDED.format(
            greatest=words["greatest"],
            total=total,
            ethics=minimum.get(C.LAW_AND_ETHICS, 0),
            inner=inner,
        )
    if preset == "MT":
        suicide = f" AND r.category = '{C.SUICIDE_PREVENTION.value}'"
        dec31, jan1 = words["dec31"].format(year="c.year"), words["jan1"].format(year="w.year + 1")
        issue_year = {"id": "c.id", "first": "c.issued_on", "last": dec31}
        next_year = {
            "id": "w.id",
            "first": jan1,
            "last": words["dec31"].format(year="w.year + 1"),
        }
        return MT.format(
            greatest=words["greatest"],
            least=words["least"],
            year_of_issue=words["year_of_issue"],
            year_of_expiry=words["year_of_expiry"],
            issue_year_hours=MT_HOURS.format(category="", **issue_year),
            issue_year_suicide=MT_HOURS.format(category=suicide, **issue_year),
            next_year_hours=MT_HOURS.format(category="", **next_year),
            next_year_suicide=MT_HOURS.format(category=suicide, **next_year),
            required=MT_REQUIRED.format(hours=total),
            cap=policy.ce_carry_over_cap_hundredths,
            suicide=minimum.get(C.SUICIDE_PREVENTION, 0),
        )
    raise ValueError(f"no floor statement for {preset}")


def run_sqlite(path: str, sql: str) -> tuple[float, list[Any]]:
    """Seconds to run ``sql`` and fetch every row, on a connection made as the service makes
    its own (WAL, its page cache), and the rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        cache = f"cache_size=-{SQLITE_CACHE_MIB * 1024}"
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", cache):
            conn.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        found = conn.execute(sql).fetchall()
        return time.perf_counter() - started, found
    finally:
        conn.close()


async def run_postgresql(url: str, sql: str) -> tuple[float, list[Any]]:
    """Seconds to run ``sql`` and fetch every row through asyncpg (a connection already made,
    as a pool's would be), and the rows."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        started = time.perf_counter()
        found = await conn.fetch(sql)
        return time.perf_counter() - started, list(found)
    finally:
        await conn.close()
