"""The exams sweep: write the expiries that reads already compute (domain.md §Time).

An open authorization past its last day with no attempt is expired unused when read; the sweep
writes that status, through ``apply_change`` like any change, so the stored state and audit
trail catch up. Running it again finds nothing more to do.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.auth import Principal, Role
from certboard_core.clock import Clock
from certboard_core.outbox import Outbox
from certboard_core.versioned import Change, apply_change
from exams.authorization.models import AuthorizationStatus
from exams.authorization.repository import AuthorizationRepository
from exams.authorization.views import snapshot
from exams.context import ActionContext
from exams.policy import ExamPolicy

SWEEPER = Principal(subject="sweep", roles=frozenset({Role.SERVICE}), claims={}, token="")


async def expire_unused(
    session: AsyncSession, *, clock: Clock, policy: ExamPolicy, outbox: Outbox, limit: int
) -> int:
    """Write up to ``limit`` authorizations past their last day as expired unused."""
    ctx = ActionContext(
        session=session, principal=SWEEPER, clock=clock, policy=policy, outbox=outbox
    )
    due = await AuthorizationRepository(session).expired_unused_due(ctx.today, limit=limit)
    for authorization in due:
        await apply_change(
            ctx,
            authorization,
            expected_version=authorization.version,
            values={
                "status": AuthorizationStatus.EXPIRED_UNUSED,
                "ended_at": ctx.now,
                # The first day it could no longer be used, whenever the sweep ran.
                "ended_on": authorization.valid_through + timedelta(days=1),
                "ended_by": ctx.actor,
            },
            change=Change(
                action="exam_authorization.expired_unused", entity_type="exam_authorization"
            ),
            snapshot=snapshot,
        )
    return len(due)
