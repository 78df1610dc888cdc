"""CE progress of many people at once equals ``ce_progress_on`` person by person."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application, LivedExperience
from applications.ce.models import CeRecord as LedgerRecord
from applications.ce.models import CeRecordStatus, CeSource
from applications.certification.models import Certification
from applications.policy import build_policy
from applications.renewal.ce_rules import CeCategory, CeRecord, ce_progress_on
from applications.renewal.policy import RenewalPolicy
from applications.renewal.progress import Plan, Progress, progress_of
from applications.renewal.rules import cycle_containing, nth_cycle
from certboard_core.db import create_engine, session_factory
from certboard_core.testing.plugin import DatabaseFactory

C = CeCategory
AT = datetime(2020, 1, 2, 17, 0, tzinfo=UTC)
PRESETS = ("CA", "MT")


def sums_of(planned: Plan, records: Sequence[CeRecord]) -> list[dict[CeCategory, int]]:
    """What the ledger read gives: each planned cycle's hours by category."""
    found: list[dict[CeCategory, int]] = []
    for cycle in planned.cycles:
        sums: dict[CeCategory, int] = {}
        for r in records:
            if cycle.starts_on <= r.earned_on <= cycle.valid_through:
                sums[r.category] = sums.get(r.category, 0) + r.hours_hundredths
        found.append(sums)
    return found


def valid_through_of(issued_on: date, cycle: int, policy: RenewalPolicy) -> date:
    return nth_cycle(issued_on, cycle, policy).valid_through


records_strategy = st.lists(
    st.builds(
        CeRecord,
        st.dates(date(2019, 6, 1), date(2026, 12, 31)),
        st.integers(0, 2600),
        st.sampled_from(list(CeCategory)),
    ),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(
    preset=st.sampled_from(PRESETS),
    issued_on=st.dates(date(2020, 1, 1), date(2021, 12, 31)),
    cycle=st.integers(0, 4),
    records=records_strategy,
)
def test_progress_from_sums_equals_the_walk(
    preset: str, issued_on: date, cycle: int, records: list[CeRecord]
) -> None:
    policy = build_policy(preset)
    valid_through = valid_through_of(issued_on, cycle, policy)
    progress = Progress(policy)
    planned = progress.plan(issued_on, valid_through)
    found = progress.of(planned, sums_of(planned, records))
    assert found == ce_progress_on(records, issued_on, valid_through, policy)


@pytest.mark.parametrize(
    ("preset", "issued_on", "cycles_read"),
    [
        # CA carries nothing and its minimum spans one cycle: the current cycle alone.
        ("CA", date(2020, 2, 29), 1),
        # MT carries over: every cycle from the year of issue.
        ("MT", date(2020, 12, 31), 4),
    ],
)
def test_the_plan_reads_only_the_cycles_that_count(
    preset: str, issued_on: date, cycles_read: int
) -> None:
    policy = build_policy(preset)
    valid_through = valid_through_of(issued_on, 3 if preset == "MT" else 2, policy)
    planned = Progress(policy).plan(issued_on, valid_through)
    assert len(planned.cycles) == cycles_read
    assert planned.cycles[-1] == cycle_containing(issued_on, valid_through, policy)


# -- through the database, on both backends --------------------------------------------------


@pytest.fixture
async def session(database_factory: DatabaseFactory) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_factory("applications"))
    try:
        async with session_factory(engine)() as opened:
            yield opened
    finally:
        await engine.dispose()


def application(who: str) -> Application:
    return Application(
        applicant_id=who,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=date(1980, 1, 1),
        email=f"{who}@example.org",
        code_of_ethics_agreed=True,
        lived_experience=LivedExperience.CONSUMER,
        willing_to_share_experience=True,
        status=ApplicationStatus.APPROVED,
        submitted_at=AT,
        submitted_on=AT.date(),
        first_notification_due_on=AT.date(),
        last_day_to_complete=AT.date(),
    )


def ledger_record(
    certification: Certification, record: CeRecord, status: CeRecordStatus, n: int
) -> LedgerRecord:
    return LedgerRecord(
        certification_id=certification.id,
        applicant_id=certification.applicant_id,
        source=CeSource.SELF_REPORTED,
        course_title=f"course {n}",
        provider_name="a provider",
        hours=record.hours_hundredths,
        category=record.category,
        completed_on=record.earned_on,
        received_at=AT,
        status=status,
    )


def people(issued_on: date) -> list[list[CeRecord]]:
    """A handful of ledgers: none, one that carries over, hours on cycle edges, before issue,
    and hours in every category over several years."""
    day = timedelta(days=1)
    return [
        [],
        [CeRecord(date(2021, 6, 1), 2400, C.GENERAL), CeRecord(date(2022, 3, 1), 500, C.GENERAL)],
        [
            CeRecord(issued_on - day, 900, C.LAW_AND_ETHICS),
            CeRecord(issued_on, 150, C.LAW_AND_ETHICS),
            CeRecord(date(2021, 12, 31), 200, C.SUICIDE_PREVENTION),
            CeRecord(date(2022, 1, 1), 125, C.SUICIDE_PREVENTION),
        ],
        [
            CeRecord(date(2020 + n % 4, 1 + n % 12, 1 + n % 28), 100 + 37 * n, list(C)[n % 3])
            for n in range(20)
        ],
    ]


@pytest.mark.parametrize("preset", PRESETS)
async def test_progress_of_many_equals_each_persons_walk(
    session: AsyncSession, preset: str
) -> None:
    policy = build_policy(preset)
    issued = [date(2020, 2, 29), date(2020, 12, 31), date(2021, 1, 1)]
    expected = {}
    certifications = []
    for i, issued_on in enumerate(issued):
        for j, records in enumerate(people(issued_on)):
            who = f"person-{i}-{j}"
            app = application(who)
            session.add(app)
            await session.flush()
            valid_through = valid_through_of(issued_on, 1 + j % 3, policy)
            certification = Certification(
                number=f"T-{i}{j}",
                application_id=app.id,
                applicant_id=who,
                holder_name="Ada Lovelace",
                last_name_key="lovelace",
                first_name_key="ada",
                issued_on=issued_on,
                valid_through=valid_through,
                attempt_id=who,
                issued_at=AT,
            )
            session.add(certification)
            await session.flush()
            for n, record in enumerate(records):
                session.add(ledger_record(certification, record, CeRecordStatus.ACCEPTED, n))
            # Waiting and refused records count nowhere.
            for status in (CeRecordStatus.PENDING_VERIFICATION, CeRecordStatus.REJECTED):
                refused = CeRecord(issued_on, 1000, C.LAW_AND_ETHICS)
                session.add(ledger_record(certification, refused, status, 99))
            certifications.append(certification)
            expected[certification.id] = ce_progress_on(records, issued_on, valid_through, policy)
    await session.flush()

    # Chunks of 2: people's spans straddle the chunks.
    found = await progress_of(session, certifications, policy, chunk=2)

    assert found == expected
    assert any(p.carried_in_hundredths for p in found.values()) is (preset == "MT")
    assert await progress_of(session, [], policy) == {}


async def test_a_certification_without_records_needs_everything(session: AsyncSession) -> None:
    policy = build_policy("CA")
    lone = Certification(
        id=uuid.uuid4(),
        number="T-1",
        application_id=uuid.uuid4(),
        applicant_id="x",
        holder_name="X",
        issued_on=date(2024, 5, 1),
        valid_through=date(2026, 4, 30),
        attempt_id="x",
        issued_at=AT,
    )
    found = (await progress_of(session, [lone], policy))[lone.id]
    assert (found.required_hundredths, found.earned_hundredths) == (2000, 0)
    assert found.still_needed_hundredths == 2000
    assert [(c.category, c.still_needed_hundredths) for c in found.categories] == [
        (C.LAW_AND_ETHICS, 600)
    ]
