import asyncio, sqlite3, uuid
from sqlmodel import col, select
from applications.certification.models import Certification
from applications.policy import build_policy
from applications.renewal.progress import progress_of
from bench import ce_progress_floor
from certboard_core.db import create_engine, session_factory


async def main():
    p = build_policy("MT")
    engine = create_engine("sqlite+aiosqlite:////tmp/ce_MT.db")
    async with session_factory(engine)() as s:
        rows = (
            await s.exec(
                select(
                    col(Certification.id),
                    col(Certification.issued_on),
                    col(Certification.valid_through),
                )
            )
        ).all()
        out = await progress_of(s, rows, p)
    await engine.dispose()
    info = {r.id: r for r in rows}
    _, floor = ce_progress_floor.run_sqlite(
        "/tmp/ce_MT.db", ce_progress_floor.statement("MT", "sqlite", p)
    )
    n = 0
    for row in floor:
        k = uuid.UUID(row[0])
        m = out[k]
        theirs = (row[1], row[4], row[3], row[5])
        mine = (
            m.earned_hundredths,
            m.categories[0].earned_hundredths if m.categories else row[4],
            m.carried_in_hundredths,
            m.still_needed_hundredths,
        )
        if theirs != mine:
            n += 1
            if n < 4:
                print(info[k].issued_on, info[k].valid_through, m.cycle, theirs, mine, m.categories)
    print(n, len(floor))


asyncio.run(main())
