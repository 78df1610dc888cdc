"""Everything a state change needs, fixed at the moment the request acts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.policy import ApplicationPolicy
from certboard_core.auth import Principal
from certboard_core.clock import Clock
from certboard_core.outbox import Outbox


@dataclass
class ActionContext:
    session: AsyncSession
    principal: Principal
    clock: Clock
    policy: ApplicationPolicy
    outbox: Outbox
    # Read once: every rule in one action sees the same instant and the same local day.
    now: datetime = field(init=False)
    today: date = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.clock.now()
        self.today = rules.local_date(self.now, self.policy)

    @property
    def actor(self) -> str:
        return self.principal.actor
