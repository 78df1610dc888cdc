"""The one way a stored record changes: version checked, updated, audited, published."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from certboard_core.audit import record_audit
from certboard_core.context import RequestContext
from certboard_core.db import update_versioned
from certboard_core.errors import Conflict


class VersionConflict(Conflict):
    code = "VERSION_CONFLICT"


class Versioned(Protocol):
    id: Any
    version: int


R = TypeVar("R", bound=Versioned)


@dataclass(frozen=True)
class Change:
    """What one versioned change writes besides the row: its audit action and, if others
    care, the event to publish (its payload; the aggregate is the changed record)."""

    action: str
    entity_type: str
    event_type: str | None = None
    event_payload: Mapping[str, Any] = field(default_factory=dict)


def check_version(row: Versioned, expected: int, *, what: str) -> None:
    """Refuse a change made from a stale read, saying which version is current."""
    if row.version != expected:
        raise VersionConflict(
            f"the {what} changed since you read it (you have version {expected}, it is now "
            f"{row.version}); reload and try again",
            field="expected_version",
        )


async def apply_change(
    ctx: RequestContext[Any],
    row: R,
    *,
    expected_version: int,
    values: Mapping[str, Any],
    change: Change,
    snapshot: Callable[[R], dict[str, Any]],
) -> R:
    """Write ``values`` to ``row`` if nobody changed it since ``expected_version`` (never a
    lost update), then audit it before and after and publish the change's event, all in the
    caller's transaction."""
    what = change.entity_type.replace("_", " ")
    check_version(row, expected_version, what=what)
    before = snapshot(row)
    if not await update_versioned(ctx.session, type(row), row.id, expected_version, dict(values)):
        raise VersionConflict(
            f"the {what} was changed at the same moment; reload and try again",
            field="expected_version",
        )
    await ctx.session.refresh(row)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action=change.action,
        entity_type=change.entity_type,
        entity_id=str(row.id),
        before=before,
        after=snapshot(row),
        at=ctx.now,
    )
    if change.event_type is not None:
        await ctx.outbox.publish(
            ctx.session,
            type=change.event_type,
            aggregate_type=change.entity_type,
            aggregate_id=str(row.id),
            payload=dict(change.event_payload),
            at=ctx.now,
        )
    return row
