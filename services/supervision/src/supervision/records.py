"""Supervision records under an agreement (sessions, hours): stored once and audited, then
changed only by an amendment, a new row superseding the earlier one, which stays with who
replaced it and when (records are kept, never rewritten: domain.md §Supervision)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from certboard_core.audit import record_audit
from certboard_core.versioned import Change, apply_change, check_version
from supervision.deps import ActionContext
from supervision.errors import Superseded


class Record(Protocol):
    id: Any
    version: int
    superseded_at: datetime | None

    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


R = TypeVar("R", bound=Record)


def snapshot(row: Record) -> dict[str, Any]:
    """The row as the audit trail keeps it."""
    return row.model_dump(mode="json")


def check_current(row: Record, expected_version: int, *, what: str, field: str) -> None:
    """Refuse acting on a superseded record (its amendment is the one to act on) or a stale read."""
    if row.superseded_at is not None:
        raise Superseded(f"this {what} was amended; act on the newer one", field=field)
    check_version(row, expected_version, what=what)


async def add_record(
    ctx: ActionContext, row: R, *, entity: str, action: str, before: Record | None = None
) -> R:
    """Store a new record and audit it (``before``: the record it amends)."""
    ctx.session.add(row)
    await ctx.session.flush()
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action=f"{entity}.{action}",
        entity_type=entity,
        entity_id=str(row.id),
        before=snapshot(before) if before is not None else None,
        after=snapshot(row),
        at=ctx.now,
    )
    return row


async def supersede(ctx: ActionContext, old: R, new: R, *, entity: str, expected_version: int) -> R:
    """Mark ``old`` superseded (unless changed since ``expected_version``) and store ``new``,
    its amendment, in its place."""
    await apply_change(
        ctx,
        old,
        expected_version=expected_version,
        values={"superseded_at": ctx.now, "superseded_by": ctx.actor},
        change=Change(action=f"{entity}.supersede", entity_type=entity),
        snapshot=snapshot,
    )
    return await add_record(ctx, new, entity=entity, action="amend", before=old)
