"""Decisions about hours worked; the request's session commits what these flush.

The peer reports hours per day or per Monday-to-Sunday week under an agreement, never both
for the same day; a correction is a new report that supersedes the earlier one.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from certboard_core.errors import NotFound
from certboard_core.pagination import Page
from supervision.agreement.active import require_active
from supervision.compliance import rules
from supervision.compliance.service import record_weeks
from supervision.deps import ActionContext
from supervision.errors import HoursAlreadyReported, InFuture, InvalidHours
from supervision.hours.models import HoursPeriod, HoursWorked
from supervision.hours.repository import HoursRepository
from supervision.hours.schemas import HoursAmendment, HoursPublic, HoursReport
from supervision.records import add_record, check_current, supersede
from supervision.session.access import agreement_for, readable

ENTITY = "supervision_hours"
MOST_HOURS = {HoursPeriod.DAY: 24, HoursPeriod.WEEK: 7 * 24}


def to_public(row: HoursWorked) -> HoursPublic:
    """The stored row as the API shows it, hours as an exact decimal."""
    return HoursPublic(
        **row.model_dump(exclude={"hundredths"}),
        hours=Decimal(row.hundredths).scaleb(-2),
        current=row.superseded_at is None,
    )


def _hundredths(hours: Decimal, period: HoursPeriod) -> int:
    """``hours`` as whole hundredths, or INVALID_HOURS beyond what the period holds."""
    most = MOST_HOURS[period]
    if hours > most:
        raise InvalidHours(f"a {period.value} holds at most {most} hours", field="hours")
    return int(hours.scaleb(2))


async def report_hours(ctx: ActionContext, body: HoursReport) -> HoursWorked:
    """The peer reports hours worked under their active agreement."""
    agreement = await agreement_for(ctx, body.agreement_id, as_peer=True)
    hundredths = _hundredths(body.hours, body.period)
    first = body.starts_on
    last = first + timedelta(days=6) if body.period is HoursPeriod.WEEK else first
    if body.period is HoursPeriod.WEEK and first.weekday() != 0:
        raise InvalidHours("a week report starts on a Monday", field="starts_on")
    if first > ctx.today:
        raise InFuture("hours are reported for days that have begun", field="starts_on")
    await require_active(ctx, agreement, first, last, field="starts_on")
    repository = HoursRepository(ctx.session)
    if await repository.covering(agreement.id, rules.week_start(first), first, last):
        raise HoursAlreadyReported(
            "hours for that day or week are already reported under this agreement; "
            "correct them with an amendment",
            field="starts_on",
        )
    row = HoursWorked(
        agreement_id=agreement.id,
        peer_applicant_id=agreement.peer_applicant_id,
        supervisor_id=agreement.supervisor_id,
        period=body.period,
        starts_on=first,
        hundredths=hundredths,
        created_at=ctx.now,
        created_by=ctx.actor,
    )
    added = await add_record(ctx, row, entity=ENTITY, action="report")
    await record_weeks(ctx.session, row.peer_applicant_id, row.starts_on)
    return added


async def amend_hours(ctx: ActionContext, hours_id: uuid.UUID, body: HoursAmendment) -> HoursWorked:
    """The peer corrects a report: a new one supersedes it, and the earlier one stays."""
    old = await ctx.session.get(HoursWorked, hours_id)
    if old is None or old.peer_applicant_id != ctx.principal.subject:
        raise NotFound("no such hours report", field="hours_id")
    check_current(old, body.expected_version, what="hours report", field="hours_id")
    hundredths = _hundredths(body.hours, old.period)
    row = HoursWorked(
        agreement_id=old.agreement_id,
        peer_applicant_id=old.peer_applicant_id,
        supervisor_id=old.supervisor_id,
        period=old.period,
        starts_on=old.starts_on,
        hundredths=hundredths,
        supersedes_id=old.id,
        amendment_reason=body.reason,
        created_at=ctx.now,
        created_by=ctx.actor,
    )
    amended = await supersede(ctx, old, row, entity=ENTITY, expected_version=body.expected_version)
    await record_weeks(ctx.session, row.peer_applicant_id, row.starts_on)
    return amended


async def list_hours(
    ctx: ActionContext,
    *,
    agreement_id: uuid.UUID | None,
    peer_applicant_id: str | None,
    starts_from: date | None,
    starts_to: date | None,
    include_superseded: bool,
    after: str | None,
    limit: int,
) -> Page[HoursWorked]:
    """The reports the caller may see (others' are simply absent), by day."""
    row = HoursWorked
    return await HoursRepository(ctx.session).page(
        readable(ctx.principal, row.peer_applicant_id, row.supervisor_id),
        agreement_id=agreement_id,
        peer_applicant_id=peer_applicant_id,
        starts_from=starts_from,
        starts_to=starts_to,
        include_superseded=include_superseded,
        after=after,
        limit=limit,
    )
