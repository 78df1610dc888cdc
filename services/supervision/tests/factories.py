"""Builders for test rows, varied per test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from supervision.agreement.models import SupervisionAgreement
from supervision.supervisor.models import Supervisor, Verification

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
        "not_family_attested": True,
        "created_at": SIGNED_AT,
    }
    values.update(overrides)
    return SupervisionAgreement(**values)


def supervisor(**overrides: Any) -> Supervisor:
    """A verified licensed social worker licensed since 2015, license valid through 2030."""
    values: dict[str, Any] = {
        "id": "dr-sam",
        "name": "Sam Rivera",
        "contact_email": "sam.rivera@example.org",
        "license_type": "licensed_social_worker",
        "license_number": "LSW-1234",
        "license_state": "MT",
        "license_expires_on": date(2030, 12, 31),
        "first_licensed_on": date(2015, 6, 1),
        "supervision_ce_centihours": 0,
        "verification": Verification.VERIFIED,
        "verified_by": "staff:sam",
        "verified_at": SIGNED_AT,
        "created_at": SIGNED_AT,
    }
    values.update(overrides)
    return Supervisor(**values)
