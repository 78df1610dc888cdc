"""What the fee API reads and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from applications.payment.models import FeeKind
from certboard_core.fields import IsoDateTime
from certboard_core.schemas import RequestModel


class PaymentCreate(RequestModel):
    kind: FeeKind
    amount_cents: int = Field(ge=0, le=10_000_000)
    currency: str = Field(default="USD", pattern="^[A-Z]{3}$")
    reference: str = Field(min_length=1, max_length=200, description="the payment's own reference")
    paid_at: IsoDateTime

    @field_validator("paid_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-03-10T17:00:00Z")
        return value
