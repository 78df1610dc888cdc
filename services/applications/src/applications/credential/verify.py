"""Checking a presented credential: the board's signature, its dates on the board's clock,
and both status bits as the lists say now. Any input gets an answer, never an error."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.credential.bitstring import LIST_SIZE
from applications.credential.models import StatusPurpose
from applications.credential.repository import StatusRepository
from applications.credential.schemas import Check, CredentialVerification
from applications.credential.signing import CredentialIssuer, SignatureRefused
from applications.credential.vc import Board

FLAGGED_REASON = {StatusPurpose.REVOCATION: "revoked", StatusPurpose.SUSPENSION: "suspended"}


class PresentedEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    type: Literal["BitstringStatusListEntry"]
    purpose: StatusPurpose = Field(alias="statusPurpose")
    index: str = Field(alias="statusListIndex", pattern=r"^[0-9]{1,7}$")
    list_url: str = Field(alias="statusListCredential")


class Presented(BaseModel):
    """The parts of a signed Open Badges credential verification reads."""

    model_config = ConfigDict(populate_by_name=True)

    type: list[str]
    valid_from: AwareDatetime = Field(alias="validFrom")
    valid_until: AwareDatetime = Field(alias="validUntil")
    status: list[PresentedEntry] = Field(alias="credentialStatus")


def read_presented(
    claims: dict[str, Any], board: Board
) -> tuple[Presented, dict[StatusPurpose, int]]:
    """A well-formed credential of the board's and its status indexes; ValueError otherwise."""
    presented = Presented.model_validate(claims)
    if "OpenBadgeCredential" not in presented.type:
        raise ValueError("not an Open Badges credential")
    indexes: dict[StatusPurpose, int] = {}
    for entry in presented.status:
        if entry.list_url != board.status_list_url(entry.purpose):
            raise ValueError(f"the {entry.purpose.value} list is not the board's")
        if int(entry.index) >= LIST_SIZE:
            raise ValueError("a status index is outside the list")
        indexes[entry.purpose] = int(entry.index)
    missing = [p.value for p in StatusPurpose if p not in indexes]
    if missing:
        raise ValueError(f"no {' or '.join(missing)} status entry")
    return presented, indexes


def date_checks(presented: Presented, now: datetime) -> list[Check]:
    """Whether ``now`` falls within the credential's validity."""
    started = now >= presented.valid_from
    ended = now > presented.valid_until
    return [
        Check(check="valid_from", ok=started, reason=None if started else "not yet valid"),
        Check(check="valid_until", ok=not ended, reason="expired" if ended else None),
    ]


async def verify(
    session: AsyncSession, token: str, issuer: CredentialIssuer, *, now: datetime
) -> CredentialVerification:
    """Every check of a presented credential, stopping where nothing more can be read."""
    try:
        claims = issuer.verified_payload(token)
    except SignatureRefused as refused:
        return _refused(Check(check=refused.check, ok=False, reason=refused.reason))
    checks = [Check(check="key", ok=True), Check(check="signature", ok=True)]
    try:
        presented, indexes = read_presented(claims, issuer.board)
    except (ValidationError, ValueError) as exc:
        reason = f"malformed: {_first_error(exc)}"
        return _refused(*checks, Check(check="format", ok=False, reason=reason))
    checks.append(Check(check="format", ok=True))
    checks += date_checks(presented, now)
    repository = StatusRepository(session)
    today = now.astimezone(issuer.board.zone).date()
    for purpose in StatusPurpose:
        on = await repository.is_on(purpose, indexes[purpose], today)
        why = FLAGGED_REASON[purpose] if on else None
        checks.append(Check(check=purpose.value, ok=not on, reason=why))
    return CredentialVerification(verified=all(c.ok for c in checks), checks=checks)


def _refused(*checks: Check) -> CredentialVerification:
    return CredentialVerification(verified=False, checks=list(checks))


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "payload"
        return f"{where}: {error['msg']}"
    return str(exc)
