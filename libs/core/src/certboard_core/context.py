"""The request context: who acts, at which instant, under which policy, in which session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from fastapi import Request
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.auth import CurrentPrincipal, OptionalPrincipal, Principal
from certboard_core.clock import Clock
from certboard_core.db import Session
from certboard_core.deps import ClockDep, OutboxDep
from certboard_core.outbox import Outbox
from certboard_core.policy import BoardPolicy

P = TypeVar("P", bound=BoardPolicy)


@dataclass
class RequestContext(Generic[P]):
    """Everything an action needs, fixed when it starts: services take this, not the request."""

    session: AsyncSession
    principal: Principal
    clock: Clock
    policy: P
    outbox: Outbox
    # Read once: every rule in one action sees the same instant and the same local day.
    now: datetime = field(init=False)
    today: date = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.clock.now()
        self.today = self.policy.local_date(self.now)

    @property
    def actor(self) -> str:
        """How the audit trail names the caller."""
        return self.principal.actor


def _context(
    request: Request, session: AsyncSession, principal: Principal, clock: Clock, outbox: Outbox
) -> RequestContext[Any]:
    policy: BoardPolicy = request.app.state.policy
    return RequestContext(
        session=session, principal=principal, clock=clock, policy=policy, outbox=outbox
    )


async def request_context(
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    clock: ClockDep,
    outbox: OutboxDep,
) -> RequestContext[Any]:
    """FastAPI dependency: the verified caller's context, under the service's policy."""
    return _context(request, session, principal, clock, outbox)


async def public_request_context(
    request: Request,
    session: Session,
    principal: OptionalPrincipal,
    clock: ClockDep,
    outbox: OutboxDep,
) -> RequestContext[Any]:
    """FastAPI dependency for public routes: whoever calls, signed in (a bad token is still
    refused) or not."""
    return _context(request, session, principal, clock, outbox)
