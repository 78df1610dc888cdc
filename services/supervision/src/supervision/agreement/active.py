"""The internal question other services ask: does a peer have an active agreement on a day?"""

from __future__ import annotations

from datetime import date

from supervision.agreement.repository import AgreementRepository
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.deps import ActionContext
from supervision.supervisor.repository import SupervisorRepository
from supervision.supervisor.service import unmet


async def find_active_agreement(
    ctx: ActionContext, *, applicant_id: str, on: date | None
) -> ActiveAgreementAnswer:
    """Whether ``applicant_id`` has an agreement signed by both and in force on ``on`` (default:
    today locally) with a supervisor qualified on that day."""
    day = on if on is not None else ctx.today
    candidates = await AgreementRepository(ctx.session).in_force(applicant_id, day)
    supervisors = await SupervisorRepository(ctx.session).get_many(
        a.supervisor_id for a in candidates
    )
    found = next(
        (
            a
            for a in candidates
            if a.supervisor_id in supervisors
            and not unmet(supervisors[a.supervisor_id], day, ctx.policy)
        ),
        None,
    )
    return ActiveAgreementAnswer(
        applicant_id=applicant_id,
        on=day,
        active=found is not None,
        agreement_id=found.id if found is not None else None,
    )
