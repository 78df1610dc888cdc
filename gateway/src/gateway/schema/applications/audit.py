"""An application's audit trail, for staff: read in batches (``loaders.audit_trails``), one
backend call for every application of a request."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import Ctx, instant


@strawberry.type(description="One recorded change: who did what, when, to which fields.")
class AuditEvent:
    occurred_at: datetime.datetime
    actor: str = strawberry.field(description="Who, as their token named them (role:subject).")
    action: str = strawberry.field(description="What, e.g. application.approved.")
    changed: list[str] = strawberry.field(
        description="The fields whose value the change set or altered."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AuditEvent:
        return cls(
            occurred_at=instant(data["occurred_at"]),
            actor=data["actor"],
            action=data["action"],
            changed=data["changed"],
        )


async def application_audit_trail(root: strawberry.Parent[Any], info: Ctx) -> list[AuditEvent]:
    """The ``auditTrail`` field of an application: staff only."""
    info.context.require(Role.STAFF)
    return [AuditEvent.from_json(e) for e in await info.context.audit_trails.load(str(root.id))]
