"""Typed FastAPI dependencies for what the app factory provides."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from certboard_core.clock import Clock
from certboard_core.outbox import Outbox


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.outbox
    return outbox


ClockDep = Annotated[Clock, Depends(get_clock)]
OutboxDep = Annotated[Outbox, Depends(get_outbox)]
