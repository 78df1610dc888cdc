"""Decisions about supervisors: registration, corrections, staff verification, qualification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from certboard_core.audit import record_audit
from certboard_core.errors import ErrorReason, InvalidInput, NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change
from supervision import rules
from supervision.deps import ActionContext
from supervision.errors import SupervisorExists, SupervisorNotQualified
from supervision.policy import SupervisionPolicy
from supervision.supervisor.models import Supervisor, Verification
from supervision.supervisor.repository import SupervisorRepository
from supervision.supervisor.schemas import (
    Decision,
    Qualification,
    SupervisorChange,
    SupervisorPage,
    SupervisorPublic,
    SupervisorRegistration,
    VerificationDecision,
)

ENTITY = "supervisor"
CENTI = Decimal(100)
# The facts staff verify: changing any of them sends the record back to staff.
VERIFIED_FACTS = (
    "license_type",
    "license_number",
    "license_state",
    "license_expires_on",
    "first_licensed_on",
    "supervision_ce_centihours",
)


def ce_hours(supervisor: Supervisor) -> Decimal:
    """The supervisor's CE hours, exact, from the stored hundredths."""
    return Decimal(supervisor.supervision_ce_centihours) / CENTI


def unmet(supervisor: Supervisor, on: date, policy: SupervisionPolicy) -> list[ErrorReason]:
    """Every qualification condition the supervisor fails on ``on``."""
    facts = rules.SupervisorFacts(
        license_type=supervisor.license_type,
        license_expires_on=supervisor.license_expires_on,
        first_licensed_on=supervisor.first_licensed_on,
        supervision_ce_hours=ce_hours(supervisor),
        verified=supervisor.verification is Verification.VERIFIED,
    )
    return [
        ErrorReason(code=u.code, message=u.message, field=u.field)
        for u in rules.qualification_unmet(facts, on, policy)
    ]


def not_qualified(
    supervisor: Supervisor, on: date, policy: SupervisionPolicy
) -> SupervisorNotQualified | None:
    """The refusal naming every unmet condition, or None if the supervisor qualifies on ``on``."""
    reasons = unmet(supervisor, on, policy)
    if not reasons:
        return None
    return SupervisorNotQualified(
        f"supervisor {supervisor.id} is not qualified on {on.isoformat()}: "
        + "; ".join(r.message for r in reasons),
        reasons=reasons,
    )


def require_qualified(supervisor: Supervisor, on: date, policy: SupervisionPolicy) -> None:
    """Refuse, naming every unmet condition, unless the supervisor qualifies on ``on``."""
    refusal = not_qualified(supervisor, on, policy)
    if refusal is not None:
        raise refusal


def to_public(supervisor: Supervisor, ctx: ActionContext) -> SupervisorPublic:
    """A supervisor as the API shows it, qualified or not today."""
    reasons = unmet(supervisor, ctx.today, ctx.policy)
    values = supervisor.model_dump(exclude={"supervision_ce_centihours"})
    return SupervisorPublic(
        **values,
        supervision_ce_hours=ce_hours(supervisor),
        qualification=Qualification(on=ctx.today, qualified=not reasons, unmet=reasons),
    )


def to_page(page: Page[Supervisor], ctx: ActionContext) -> SupervisorPage:
    """A page of supervisors as the API shows it."""
    public = page.map(lambda s: to_public(s, ctx))
    return SupervisorPage(items=public.items, next_cursor=public.next_cursor)


def _snapshot(supervisor: Supervisor) -> dict[str, Any]:
    return supervisor.model_dump(mode="json")


def _check_dates(first_licensed_on: date, expires_on: date, today: date) -> None:
    if first_licensed_on > today:
        raise InvalidInput("the first license cannot be in the future", field="first_licensed_on")
    if expires_on < first_licensed_on:
        raise InvalidInput(
            "the license cannot expire before it was first granted", field="license_expires_on"
        )


async def register(ctx: ActionContext, data: SupervisorRegistration) -> Supervisor:
    """A supervisor records their own license and training; staff verify it next."""
    _check_dates(data.first_licensed_on, data.license_expires_on, ctx.today)
    supervisor = Supervisor(
        id=ctx.principal.subject,
        name=data.name,
        contact_email=data.contact_email,
        license_type=data.license_type.value,
        license_number=data.license_number,
        license_state=data.license_state,
        license_expires_on=data.license_expires_on,
        first_licensed_on=data.first_licensed_on,
        supervision_ce_centihours=int(data.supervision_ce_hours * CENTI),
        verification=Verification.PENDING,
        created_at=ctx.now,
    )
    if not await SupervisorRepository(ctx.session).add(supervisor):
        raise SupervisorExists("you are already registered as a supervisor", field="id")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="supervisor.registered",
        entity_type=ENTITY,
        entity_id=supervisor.id,
        before=None,
        after=_snapshot(supervisor),
        at=ctx.now,
    )
    return supervisor


async def readable(ctx: ActionContext, supervisor_id: str) -> Supervisor:
    """The supervisor, if the caller may read it; else NOT_FOUND."""
    found = await SupervisorRepository(ctx.session).readable_one(ctx.principal, supervisor_id)
    if found is None:
        raise NotFound("no such supervisor", field="supervisor_id")
    return found


async def list_supervisors(
    ctx: ActionContext, *, verification: Verification | None, after: str | None, limit: int
) -> Page[Supervisor]:
    """Readable supervisors, oldest record first."""
    return await SupervisorRepository(ctx.session).page(
        ctx.principal, verification=verification, after=after, limit=limit
    )


async def correct(ctx: ActionContext, supervisor_id: str, data: SupervisorChange) -> Supervisor:
    """A supervisor corrects their record; changed license facts need verifying again."""
    supervisor = await readable(ctx, supervisor_id)
    given = data.model_dump(exclude={"expected_version"}, exclude_none=True)
    if "supervision_ce_hours" in given:
        given["supervision_ce_centihours"] = int(given.pop("supervision_ce_hours") * CENTI)
    if "license_type" in given:
        given["license_type"] = str(given["license_type"])
    values = {k: v for k, v in given.items() if getattr(supervisor, k) != v}
    _check_dates(
        values.get("first_licensed_on", supervisor.first_licensed_on),
        values.get("license_expires_on", supervisor.license_expires_on),
        ctx.today,
    )
    if set(VERIFIED_FACTS) & values.keys() and supervisor.verification is not Verification.PENDING:
        values |= {
            "verification": Verification.PENDING,
            "verified_by": None,
            "verified_at": None,
            "verification_note": None,
        }
    return await apply_change(
        ctx,
        supervisor,
        expected_version=data.expected_version,
        values=values,
        change=Change("supervisor.corrected", ENTITY),
        snapshot=_snapshot,
    )


async def verify(ctx: ActionContext, supervisor_id: str, data: VerificationDecision) -> Supervisor:
    """Staff record whether the license checked out with the licensing state."""
    supervisor = await readable(ctx, supervisor_id)
    if data.decision is Decision.REJECTED and not (data.note and data.note.strip()):
        raise InvalidInput("say why the license is not verified", field="note")
    status = Verification(data.decision.value)
    return await apply_change(
        ctx,
        supervisor,
        expected_version=data.expected_version,
        values={
            "verification": status,
            "verified_by": ctx.actor,
            "verified_at": ctx.now,
            "verification_note": data.note,
        },
        change=Change(
            f"supervisor.{status.value}",
            ENTITY,
            event_type=f"supervisor.{status.value}",
            event_payload={"supervisor_id": supervisor.id, "verification": status.value},
        ),
        snapshot=_snapshot,
    )
