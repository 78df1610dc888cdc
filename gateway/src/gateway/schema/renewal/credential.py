"""The signed credential a holder carries, and its public check, through the gateway."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from gateway.schema.common import Ctx


@strawberry.type(description="An Open Badges 3.0 credential, signed as a VC-JWT.")
class SignedCredential:
    credential: str = strawberry.field(description="The compact VC-JWT to present.")
    payload: JSON = strawberry.field(description="The signed claims, for reading.")


@strawberry.type(description="One check of a presented credential.")
class CredentialCheck:
    check: str
    ok: bool
    reason: str | None


@strawberry.type(description="Whether the board vouches for a presented credential now.")
class CredentialVerification:
    verified: bool
    checks: list[CredentialCheck]


async def credential_of(root: Any, info: Ctx) -> SignedCredential:
    """The ``credential`` field of a certification: refused while it may not be relied on."""
    found = await info.context.backends.applications.credential(root.id)
    return SignedCredential(credential=found["credential"], payload=found["payload"])


@strawberry.type
class CredentialQueries:
    @strawberry.field(
        description="Public, no token needed: check a presented credential (signature, "
        "dates, revocation, suspension), check by check."
    )
    async def verify_credential(self, info: Ctx, credential: str) -> CredentialVerification:
        answer = await info.context.backends.applications.verify_credential(credential)
        return CredentialVerification(
            verified=answer["verified"],
            checks=[
                CredentialCheck(check=c["check"], ok=c["ok"], reason=c.get("reason"))
                for c in answer["checks"]
            ],
        )
