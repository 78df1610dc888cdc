"""Who reaches which agreement's records: staff all, a peer their own, a supervisor theirs."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, false, true

from certboard_core.auth import Principal, Role
from certboard_core.errors import NotFound
from supervision.agreement.models import SupervisionAgreement
from supervision.deps import ActionContext


def may_read(principal: Principal, peer_applicant_id: str, supervisor_id: str) -> bool:
    """Whether ``principal`` may see a record of this peer and supervisor."""
    if principal.has(Role.STAFF):
        return True
    if principal.has(Role.APPLICANT) and principal.subject == peer_applicant_id:
        return True
    # A supervisor's id is their user id: they registered themselves under it.
    return principal.has(Role.SUPERVISOR) and principal.subject == supervisor_id


def readable(principal: Principal, peer: Any, supervisor: Any) -> ColumnElement[bool]:
    """The same rule as ``may_read`` as a WHERE clause over a peer and a supervisor column."""
    if principal.has(Role.STAFF):
        return true()
    if principal.has(Role.APPLICANT):
        return peer == principal.subject  # type: ignore[no-any-return]
    if principal.has(Role.SUPERVISOR):
        return supervisor == principal.subject  # type: ignore[no-any-return]
    return false()


async def agreement_for(
    ctx: ActionContext, agreement_id: uuid.UUID, *, as_peer: bool = False
) -> SupervisionAgreement:
    """The agreement if the caller may see it (``as_peer``: only its peer), else NOT_FOUND."""
    agreement = await ctx.session.get(SupervisionAgreement, agreement_id)
    allowed = agreement is not None and (
        ctx.principal.subject == agreement.peer_applicant_id
        if as_peer
        else may_read(ctx.principal, agreement.peer_applicant_id, agreement.supervisor_id)
    )
    if agreement is None or not allowed:
        raise NotFound("no such agreement", field="agreement_id")
    return agreement
