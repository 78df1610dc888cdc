"""What the CE ledger tells other services: a completion that now counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certboard_core.outbox import NewEvent

RECORDED = "ce.completion_recorded"
ENTITY = "ce_record"


def recorded(values: Mapping[str, Any]) -> NewEvent:
    """The event of an accepted record, from its stored values (a row or a model's dump)."""

    def text(name: str) -> str | None:
        value = values[name]
        return None if value is None else str(value)

    return NewEvent(
        RECORDED,
        ENTITY,
        str(values["id"]),
        {
            "record_id": str(values["id"]),
            "certification_id": str(values["certification_id"]),
            "applicant_id": values["applicant_id"],
            "source": str(values["source"]),
            "provider_id": text("provider_id"),
            "course_id": text("course_id"),
            "hours_hundredths": values["hours"],
            "category": str(values["category"]),
            "completed_on": values["completed_on"].isoformat(),
        },
    )
