"""What "active agreement" means, once: for the internal question other services ask (does a
peer have one on a day?) and for the sessions and hours recorded under an agreement."""

from __future__ import annotations

from datetime import date

from certboard_core.errors import DomainError
from supervision.agreement.models import SupervisionAgreement
from supervision.agreement.repository import AgreementRepository
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.agreement.views import last_day
from supervision.deps import ActionContext
from supervision.errors import (
    AgreementClosed,
    AgreementNotActive,
    OutsideAgreement,
    SupervisorNotQualified,
)
from supervision.policy import SupervisionPolicy
from supervision.supervisor.models import Supervisor
from supervision.supervisor.repository import SupervisorRepository
from supervision.supervisor.service import not_qualified


def refusal(
    agreement: SupervisionAgreement,
    supervisor: Supervisor | None,
    first: date,
    last: date,
    policy: SupervisionPolicy,
    *,
    field: str,
) -> DomainError | None:
    """Why the agreement is not active for a day (or a week, ``first`` to ``last``), or None.

    Active: signed by both, in force on a day of it (started, neither ended nor terminated
    before it) and its supervisor qualified on the first such day. ``field`` names the day.
    """
    if agreement.signed_by_peer_at is None or agreement.signed_by_supervisor_at is None:
        return AgreementNotActive(
            "the agreement is not signed by both the peer and the supervisor yet",
            field="agreement_id",
        )
    if agreement.terminated_on is not None and first > agreement.terminated_on:
        return AgreementClosed(
            f"the agreement was terminated; its last day was {agreement.terminated_on.isoformat()}",
            field=field,
        )
    end = last_day(agreement)
    if last < agreement.starts_on or (end is not None and first > end):
        until = end.isoformat() if end is not None else "open-ended"
        return OutsideAgreement(
            f"outside the agreement's dates ({agreement.starts_on.isoformat()} to {until})",
            field=field,
        )
    day = max(first, agreement.starts_on)
    if supervisor is None:
        return SupervisorNotQualified(
            f"supervisor {agreement.supervisor_id} has no supervisor record", reasons=[]
        )
    return not_qualified(supervisor, day, policy)


async def require_active(
    ctx: ActionContext, agreement: SupervisionAgreement, first: date, last: date, *, field: str
) -> None:
    """Refuse a record for a day (or a week) on which the agreement is not active."""
    supervisor = await SupervisorRepository(ctx.session).get(agreement.supervisor_id)
    found = refusal(agreement, supervisor, first, last, ctx.policy, field=field)
    if found is not None:
        raise found


async def find_active_agreement(
    ctx: ActionContext, *, applicant_id: str, on: date | None
) -> ActiveAgreementAnswer:
    """Whether ``applicant_id`` has an agreement active on ``on`` (default: today locally)."""
    day = on if on is not None else ctx.today
    # The query narrows to agreements signed and in force; ``refusal`` decides.
    candidates = await AgreementRepository(ctx.session).in_force(applicant_id, day)
    supervisors = await SupervisorRepository(ctx.session).get_many(
        a.supervisor_id for a in candidates
    )
    found = next(
        (
            a
            for a in candidates
            if refusal(a, supervisors.get(a.supervisor_id), day, day, ctx.policy, field="on")
            is None
        ),
        None,
    )
    return ActiveAgreementAnswer(
        applicant_id=applicant_id,
        on=day,
        active=found is not None,
        agreement_id=found.id if found is not None else None,
    )
