"""Builders for test rows, varied per test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from supervision.agreement.models import SupervisionAgreement

SIGNED_AT = datetime(2026, 1, 5, 16, 0, tzinfo=UTC)


def agreement(**overrides: Any) -> SupervisionAgreement:
    """A signed, open-ended agreement for peer ``alice`` from 1 February 2026."""
    values: dict[str, Any] = {
        "peer_applicant_id": "alice",
        "supervisor_id": "dr-sam",
        "employer": "Bozeman Recovery Center",
        "starts_on": date(2026, 2, 1),
        "ends_on": None,
        "signed_by_peer_at": SIGNED_AT,
        "signed_by_supervisor_at": SIGNED_AT + timedelta(days=1),
        "relationship_attested": True,
        "created_at": SIGNED_AT,
    }
    values.update(overrides)
    return SupervisionAgreement(**values)
