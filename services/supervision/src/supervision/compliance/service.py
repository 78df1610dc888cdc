"""The compliance report over any period, for one peer or all the caller may see, read from
the week summaries that every change to hours or signed-off sessions keeps current."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.auth import Principal, Role
from certboard_core.errors import InvalidInput
from supervision.compliance import rules
from supervision.compliance.repository import ComplianceRepository, supervisees
from supervision.compliance.schemas import ComplianceReportPublic, PeerCompliance, WeekPublic
from supervision.deps import ActionContext
from supervision.policy import SupervisionPolicy

# A report covers at most this many weeks: a longer one is asked in parts.
MOST_WEEKS = 106


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a report builds its rows and weeks.

    A year for everyone is two tuples per peer and week (half a million), none in a cycle,
    and each batch of new objects makes the collector scan the whole growing heap again: it
    took more than half the report's CPU (1.8 s against 0.8 s for 260,000 weeks). Reference
    counting still frees everything; a collection missed meanwhile runs once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Another report may have paused it first: only the one that paused it resumes it.
        if was_enabled:
            gc.enable()


def whole_weeks(first: date, last: date) -> tuple[date, date]:
    """``first`` back to its Monday and ``last`` on to its Sunday."""
    monday = rules.week_start(first)
    return monday, rules.week_start(last) + timedelta(days=6)


def _hours(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


def peer_public(peer: str, report: rules.ComplianceReport) -> PeerCompliance:
    """A peer's measured period as the API shows it."""
    return PeerCompliance(
        peer_applicant_id=peer,
        compliant=report.compliant,
        hours_worked=_hours(report.worked_hundredths),
        supervised_minutes=report.supervised_minutes,
        required_minutes=report.required_minutes,
        shortfall_minutes=report.shortfall_minutes,
        first_cap_exceeded_on=report.first_cap_exceeded_on,
        weeks=[
            WeekPublic(
                week_starts_on=w.week_starts_on,
                hours_worked=_hours(w.worked_hundredths),
                supervised_minutes=w.supervised_minutes,
                sessions=w.sessions,
                required_minutes=w.required_minutes,
                shortfall_minutes=w.shortfall_minutes,
                missing_session=w.missing_session,
                cap_exceeded_on=w.cap_exceeded_on,
                compliant=w.compliant,
            )
            for w in report.weeks
        ],
    )


def visible_peers(principal: Principal, peer: str | None) -> Select[Any] | Sequence[str] | None:
    """Which peers the caller may see (None: all), narrowed to ``peer`` when asked."""
    if principal.has(Role.STAFF):
        return None if peer is None else [peer]
    if principal.has(Role.APPLICANT):
        # A peer sees only their own; asking for another simply shows nobody.
        return [principal.subject] if peer in (None, principal.subject) else []
    if not principal.has(Role.SUPERVISOR):
        return []
    return supervisees(principal.subject, peer)


async def measure(
    session: AsyncSession,
    policy: SupervisionPolicy,
    first: date,
    last: date,
    peers: Select[Any] | Sequence[str] | None,
) -> list[tuple[str, rules.ComplianceReport]]:
    """Each peer's report over ``first``..``last`` (whole weeks), in peer order."""
    with cyclic_gc_paused():
        rows = await ComplianceRepository(session).weeks(first, last, peers=peers)
        return [(peer, rules.compliance_report(weeks, policy)) for peer, weeks in rows]


async def record_weeks(session: AsyncSession, peer: str, *days: date) -> None:
    """Summarize the peer's weeks holding ``days`` again from their current hours and
    signed-off sessions, in the caller's transaction (after each change to either)."""
    # The rows are read with core statements, which do not flush the caller's pending ones.
    await session.flush()
    repository = ComplianceRepository(session)
    # Weeks in order: two writers that both touch two weeks take their locks the same way.
    for monday in sorted({rules.week_start(day) for day in days}):
        await repository.lock_week(peer, monday)
        found = await repository.days(monday, monday + timedelta(days=6), peers=[peer])
        week_days = found[0][1] if found else []
        await repository.save_week(peer, rules.summarize_week(monday, week_days))


async def report(
    ctx: ActionContext, *, first: date, last: date, peer: str | None
) -> ComplianceReportPublic:
    """The compliance of the peers the caller may see, over whole weeks."""
    if last < first:
        raise InvalidInput("the period ends before it starts", field="to")
    first, last = whole_weeks(first, last)
    if (last - first).days + 1 > MOST_WEEKS * 7:
        raise InvalidInput(f"a report covers at most {MOST_WEEKS} weeks", field="to")
    peers = visible_peers(ctx.principal, peer)
    with cyclic_gc_paused():
        measured = [] if peers == [] else await measure(ctx.session, ctx.policy, first, last, peers)
        return ComplianceReportPublic(
            starts_on=first, ends_on=last, peers=[peer_public(p, r) for p, r in measured]
        )
