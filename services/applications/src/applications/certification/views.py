"""How a stored certification becomes what the API shows: its status as of today."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from applications.certification.models import Certification
from applications.certification.rules import effective_status
from applications.certification.schemas import CertificationPublic, Verification


def status_today(certification: Certification, today: date) -> CertificationPublic:
    """The certification with its status as of ``today``."""
    return public_of(certification.model_dump(), today)


def public_of(values: Mapping[str, Any], today: date) -> CertificationPublic:
    """The certification with its status as of ``today``, from its stored values."""
    status = effective_status(values["status"], valid_through=values["valid_through"], today=today)
    return CertificationPublic(**{**values, "status": status})


def verification(certification: Certification, today: date) -> Verification:
    """The little the public may know: name, status as of ``today`` and the dates."""
    return Verification(
        holder_name=certification.holder_name,
        status=effective_status(
            certification.status, valid_through=certification.valid_through, today=today
        ),
        issued_on=certification.issued_on,
        valid_through=certification.valid_through,
    )
