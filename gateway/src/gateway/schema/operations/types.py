"""Every service's test clock, and what a sweep changed."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from gateway.schema.common import instant


@strawberry.type
class ServiceClock:
    service: str
    now: datetime.datetime
    frozen: bool
    offset_seconds: float

    @classmethod
    def from_json(cls, service: str, data: dict[str, Any]) -> ServiceClock:
        return cls(
            service=service,
            now=instant(data["now"]),
            frozen=data["frozen"],
            offset_seconds=data["offset_seconds"],
        )


@strawberry.input(description="Exactly one of setTo, advanceSeconds or reset.")
class TestClockInput:
    set_to: datetime.datetime | None = None
    frozen: bool = True
    advance_seconds: float | None = None
    reset: bool = False


@strawberry.type(description="What one sweep changed; a second run at the same time changes 0.")
class SweepReport:
    voided: int = strawberry.field(description="Incomplete past their hold, now void.")
    expired: int = strawberry.field(description="Approvals past their valid-through day.")
    void_reminders: int
    expiry_reminders: int
    certification_statuses: int = strawberry.field(
        description="Certifications whose stored status time had moved (renewal window, "
        "lapsed, expired, terminated)."
    )
    renewal_reminders: int = strawberry.field(
        description="Renewal reminders sent: before expiry, at lapse and at expiry."
    )
    expired_unused_authorizations: int = strawberry.field(
        default=0, description="Exam authorizations past their last day, unused."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SweepReport:
        return cls(
            voided=data["voided"],
            expired=data["expired"],
            void_reminders=data["void_reminders"],
            expiry_reminders=data["expiry_reminders"],
            certification_statuses=data["certification_statuses"],
            renewal_reminders=data["renewal_reminders"],
        )
