"""Decisions about supervision sessions; the request's session commits what these flush.

The peer logs a session; the supervisor signs it off, which locks it. After that (or
instead) only the supervisor's amendment changes it: a new signed-off row that supersedes
the earlier one, which stays with who replaced it and when.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from certboard_core.auth import Role
from certboard_core.errors import NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change
from supervision import rules
from supervision.agreement.active import require_active
from supervision.agreement.models import SupervisionAgreement
from supervision.compliance.service import record_weeks
from supervision.deps import ActionContext
from supervision.errors import (
    InFuture,
    LengthNotIncrement,
    SessionLocked,
    SessionOverlap,
    StopNotAfterStart,
)
from supervision.records import add_record, check_current, snapshot, supersede
from supervision.session.access import agreement_for, readable
from supervision.session.models import SessionFormat, SupervisionSession
from supervision.session.repository import SessionRepository
from supervision.session.schemas import (
    SessionAmendment,
    SessionLog,
    SessionPublic,
    SessionTimes,
    SignOff,
)
from supervision.supervisor.repository import SupervisorRepository

ENTITY = "supervision_session"


def to_public(row: SupervisionSession, zone: ZoneInfo) -> SessionPublic:
    """The stored row as the API shows it, with local clock times."""
    return SessionPublic(
        **row.model_dump(exclude={"starts_at", "stops_at"}),
        start_time=f"{row.starts_at.astimezone(zone):%H:%M}",
        stop_time=f"{row.stops_at.astimezone(zone):%H:%M}",
        locked=row.signed_off_at is not None,
        current=row.superseded_at is None,
    )


def _instant(day: date, clock_time: str, zone: ZoneInfo) -> datetime:
    hours, minutes = (int(part) for part in clock_time.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone)


async def _checked_times(
    ctx: ActionContext,
    agreement: SupervisionAgreement,
    times: SessionTimes,
    *,
    excluding: uuid.UUID | None = None,
) -> tuple[datetime, datetime, int]:
    """The session's start, stop and minutes, or the first rule it breaks."""
    zone = ZoneInfo(ctx.policy.time_zone)
    starts_at = _instant(times.held_on, times.start_time, zone)
    stops_at = _instant(times.held_on, times.stop_time, zone)
    if stops_at <= starts_at:
        raise StopNotAfterStart("the stop time must be after the start time", field="stop_time")
    if not rules.is_valid_session_length(starts_at, stops_at, ctx.policy):
        step = ctx.policy.session_increment_minutes
        raise LengthNotIncrement(
            f"a session lasts a whole number of {step}-minute increments", field="stop_time"
        )
    if stops_at > ctx.now:
        raise InFuture("a session is logged once it has ended", field="stop_time")
    await require_active(ctx, agreement, times.held_on, times.held_on, field="held_on")
    await SupervisorRepository(ctx.session).lock(agreement.supervisor_id)
    clash = await SessionRepository(ctx.session).overlapping(
        agreement.supervisor_id,
        starts_at,
        stops_at,
        group=times.format is SessionFormat.GROUP,
        excluding=excluding,
    )
    if clash is not None:
        raise SessionOverlap(
            "the supervisor already has a session logged at that time", field="start_time"
        )
    minutes = (stops_at - starts_at).total_seconds() // 60
    return starts_at, stops_at, int(minutes)


async def log_session(ctx: ActionContext, body: SessionLog) -> SupervisionSession:
    """The peer logs a session held under their active agreement."""
    agreement = await agreement_for(ctx, body.agreement_id, as_peer=True)
    starts_at, stops_at, minutes = await _checked_times(ctx, agreement, body)
    row = SupervisionSession(
        agreement_id=agreement.id,
        peer_applicant_id=agreement.peer_applicant_id,
        supervisor_id=agreement.supervisor_id,
        peer_name=body.peer_name,
        peer_certification_number=body.peer_certification_number,
        held_on=body.held_on,
        starts_at=starts_at,
        stops_at=stops_at,
        minutes=minutes,
        format=body.format,
        topics=[topic.value for topic in body.topics],
        created_at=ctx.now,
        created_by=ctx.actor,
    )
    return await add_record(ctx, row, entity=ENTITY, action="log")


async def _supervisors(ctx: ActionContext, session_id: uuid.UUID) -> SupervisionSession:
    """The session if it is one of the calling supervisor's (staff: any), else NOT_FOUND."""
    row = await ctx.session.get(SupervisionSession, session_id)
    if row is None or not (
        ctx.principal.has(Role.STAFF)
        or (ctx.principal.has(Role.SUPERVISOR) and ctx.principal.subject == row.supervisor_id)
    ):
        raise NotFound("no such session", field="session_id")
    return row


async def sign_off(ctx: ActionContext, session_id: uuid.UUID, body: SignOff) -> SupervisionSession:
    """The supervisor signs a session off; from then on it is locked."""
    row = await _supervisors(ctx, session_id)
    check_current(row, body.expected_version, what="session", field="session_id")
    if row.signed_off_at is not None:
        raise SessionLocked("the session is already signed off", field="session_id")
    await apply_change(
        ctx,
        row,
        expected_version=body.expected_version,
        values={
            "signed_off_at": ctx.now,
            "signed_off_by": ctx.actor,
            "supervisor_name": body.supervisor_name,
            "supervisor_license_number": body.supervisor_license_number,
        },
        change=Change(action=f"{ENTITY}.sign_off", entity_type=ENTITY),
        snapshot=snapshot,
    )
    await record_weeks(ctx.session, row.peer_applicant_id, row.held_on)
    return row


async def amend(
    ctx: ActionContext, session_id: uuid.UUID, body: SessionAmendment
) -> SupervisionSession:
    """The supervisor replaces a session with a corrected, signed-off one; the old row stays."""
    old = await _supervisors(ctx, session_id)
    check_current(old, body.expected_version, what="session", field="session_id")
    agreement = await ctx.session.get(SupervisionAgreement, old.agreement_id)
    assert agreement is not None  # a foreign key holds it
    starts_at, stops_at, minutes = await _checked_times(ctx, agreement, body, excluding=old.id)
    row = SupervisionSession(
        agreement_id=old.agreement_id,
        peer_applicant_id=old.peer_applicant_id,
        supervisor_id=old.supervisor_id,
        peer_name=old.peer_name,
        peer_certification_number=old.peer_certification_number,
        supervisor_name=body.supervisor_name,
        supervisor_license_number=body.supervisor_license_number,
        held_on=body.held_on,
        starts_at=starts_at,
        stops_at=stops_at,
        minutes=minutes,
        format=body.format,
        topics=[topic.value for topic in body.topics],
        signed_off_at=ctx.now,
        signed_off_by=ctx.actor,
        supersedes_id=old.id,
        amendment_reason=body.reason,
        created_at=ctx.now,
        created_by=ctx.actor,
    )
    amended = await supersede(ctx, old, row, entity=ENTITY, expected_version=body.expected_version)
    await record_weeks(ctx.session, row.peer_applicant_id, old.held_on, row.held_on)
    return amended


async def list_sessions(
    ctx: ActionContext,
    *,
    agreement_id: uuid.UUID | None,
    peer_applicant_id: str | None,
    held_from: date | None,
    held_to: date | None,
    include_superseded: bool,
    awaiting_sign_off: bool,
    after: str | None,
    limit: int,
) -> Page[SupervisionSession]:
    """The sessions the caller may see (others' are simply absent), oldest first."""
    row = SupervisionSession
    return await SessionRepository(ctx.session).page(
        readable(ctx.principal, row.peer_applicant_id, row.supervisor_id),
        agreement_id=agreement_id,
        peer_applicant_id=peer_applicant_id,
        held_from=held_from,
        held_to=held_to,
        include_superseded=include_superseded,
        awaiting_sign_off=awaiting_sign_off,
        after=after,
        limit=limit,
    )


async def sessions_of_agreements(
    ctx: ActionContext, agreement_ids: Sequence[uuid.UUID]
) -> Sequence[SupervisionSession]:
    """The current sessions of these agreements the caller may see, by start time."""
    row = SupervisionSession
    return await SessionRepository(ctx.session).of_agreements(
        readable(ctx.principal, row.peer_applicant_id, row.supervisor_id), agreement_ids
    )
