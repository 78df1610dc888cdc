"""Issuing a certification's signed credential, the status lists, and discipline's bits."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.models import Certification
from applications.certification.repository import CertificationRepository
from applications.certification.rules import CertificationStatus
from applications.context import ActionContext
from applications.credential import bitstring, rules, vc
from applications.credential.models import CredentialStatus, StatusPurpose, snapshot
from applications.credential.repository import StatusRepository
from applications.credential.signing import CredentialIssuer
from applications.renewal.rules import standing
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, NotFound
from certboard_core.versioned import Change, apply_change

# Random indexes so a list leaks no order of issue; a few tries find a free one while the
# lists are far from full (a board of 10,000 holders fills 8% of each).
INDEX_TRIES = 20
S = CertificationStatus


class CertificationNotFound(NotFound):
    """No such certification, or not the caller's: the same answer, so none is revealed."""


class CertificationSuspended(Conflict):
    code = "CERTIFICATION_SUSPENDED"


class CertificationRevoked(Conflict):
    code = "CERTIFICATION_REVOKED"


class CertificationSurrendered(Conflict):
    code = "CERTIFICATION_SURRENDERED"


class CertificationNotCurrent(Conflict):
    """Expired or terminated: nothing left to vouch for until it is renewed or reinstated."""

    code = "CERTIFICATION_NOT_CURRENT"


REFUSALS: dict[CertificationStatus, type[Conflict]] = {
    S.SUSPENDED: CertificationSuspended,
    S.REVOKED: CertificationRevoked,
    S.SURRENDERED: CertificationSurrendered,
    S.EXPIRED: CertificationNotCurrent,
    S.TERMINATED: CertificationNotCurrent,
}
# What a request for a credential may be refused with, for the routes' declared answers.
CREDENTIAL_REFUSALS = (
    CertificationSuspended,
    CertificationRevoked,
    CertificationSurrendered,
    CertificationNotCurrent,
)


class Issued(NamedTuple):
    token: str
    payload: dict[str, Any]


async def issue(
    ctx: ActionContext, certification_id: uuid.UUID, issuer: CredentialIssuer
) -> Issued:
    """The holder's (or staff's) signed credential of a certification valid to practise
    today; its status indexes are allocated on the first one."""
    certification = await CertificationRepository(ctx.session).readable(
        ctx.principal, certification_id
    )
    if certification is None:
        raise CertificationNotFound("no such certification", field="certification_id")
    return await sign_for(ctx, certification, issuer)


async def sign_for(
    ctx: ActionContext, certification: Certification, issuer: CredentialIssuer
) -> Issued:
    """The signed credential of ``certification`` if it is valid to practise today (whoever
    asks: it carries nothing but the number and the achievement)."""
    today = standing(
        certification.valid_through,
        ctx.today,
        certification.status,
        ctx.policy,
        issued_on=certification.issued_on,
    )
    if today.status not in rules.CARRIES_CREDENTIAL:
        status = today.status.value.replace("_", " ")
        raise REFUSALS[today.status](
            f"the certification is {status}: the board issues no credential for it",
            field="certification_id",
        )
    entries = await allocate(ctx, certification)
    holding = vc.Holding(
        certification.id,
        certification.number,
        certification.issued_on,
        rules.last_valid_day(certification.valid_through, ctx.policy),
    )
    indexes = {purpose: entry.list_index for purpose, entry in entries.items()}
    payload = vc.credential(holding, indexes, issuer.board, now=ctx.now)
    token = issuer.sign(payload)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="credential.issued",
        entity_type="certification",
        entity_id=str(certification.id),
        before=None,
        after={"credential_id": payload["id"], "valid_until": payload["validUntil"]},
        at=ctx.now,
    )
    return Issued(token, payload)


async def allocate(
    ctx: ActionContext, certification: Certification
) -> dict[StatusPurpose, CredentialStatus]:
    """The certification's entry in every list, allocating the missing ones."""
    entries = await StatusRepository(ctx.session).entries(certification.id)
    for purpose in StatusPurpose:
        if purpose not in entries:
            entries[purpose] = await _allocate_one(ctx, certification.id, purpose)
    return entries


async def _allocate_one(
    ctx: ActionContext, certification_id: uuid.UUID, purpose: StatusPurpose
) -> CredentialStatus:
    repository = StatusRepository(ctx.session)
    for _ in range(INDEX_TRIES):
        row = CredentialStatus(
            certification_id=certification_id,
            purpose=purpose,
            list_index=secrets.randbelow(bitstring.LIST_SIZE),
            updated_at=ctx.now,
        )
        if await repository.add(row):
            await record_audit(
                ctx.session,
                actor=ctx.actor,
                action="credential_status.allocated",
                entity_type="credential_status",
                entity_id=str(row.id),
                before=None,
                after=snapshot(row),
                at=ctx.now,
            )
            return row
        # Either the index was taken (draw again) or a concurrent first credential placed
        # this certification already (use its place).
        placed = (await repository.entries(certification_id)).get(purpose)
        if placed is not None:
            return placed
    raise RuntimeError(f"no free index in the {purpose.value} list in {INDEX_TRIES} tries")


async def set_status(
    ctx: ActionContext, certification_id: uuid.UUID, purpose: StatusPurpose, on: bool
) -> CredentialStatus:
    """Discipline's switch: turn the certification's bit in a list on or off, versioned and
    audited in the caller's transaction (a no-op when it already is)."""
    certification = await StatusRepository(ctx.session).certification(certification_id)
    if certification is None:
        raise CertificationNotFound("no such certification", field="certification_id")
    entry = (await allocate(ctx, certification))[purpose]
    if entry.flagged == on:
        return entry
    verb = "set" if on else "cleared"
    return await apply_change(
        ctx,
        entry,
        expected_version=entry.version,
        values={"flagged": on, "updated_at": ctx.now},
        change=Change(f"credential_status.{verb}", "credential_status"),
        snapshot=snapshot,
    )


async def status_list(
    session: AsyncSession, purpose: StatusPurpose, issuer: CredentialIssuer, *, now: datetime
) -> str:
    """The signed ``BitstringStatusListCredential`` of ``purpose`` as of ``now``."""
    on = await StatusRepository(session).on_indexes(
        purpose, now.astimezone(issuer.board.zone).date()
    )
    encoded = bitstring.encode(bitstring.bitstring(bitstring.LIST_SIZE, on))
    return issuer.sign(vc.status_list(purpose, encoded, issuer.board, now=now))
