"""What the audit trail shows staff: who did what and when, and which fields it changed."""

from __future__ import annotations

from pydantic import BaseModel, Field

from certboard_core.audit import AuditRecord
from certboard_core.fields import IsoDateTime


class AuditEventPublic(BaseModel):
    entity_id: str = Field(description="the application's id")
    occurred_at: IsoDateTime
    actor: str = Field(description="who, as their token named them (role:subject)")
    action: str
    changed: list[str] = Field(description="the fields whose value the change set or altered")

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEventPublic:
        before, after = record.before or {}, record.after or {}
        return cls(
            entity_id=record.entity_id,
            occurred_at=record.occurred_at,
            actor=record.actor,
            action=record.action,
            changed=sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            ),
        )


class AuditTrails(BaseModel):
    items: list[AuditEventPublic] = Field(description="oldest first, application by application")
