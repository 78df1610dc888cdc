"""How a stored certification becomes what the API shows: its status as of today."""

from __future__ import annotations

from datetime import date

from applications.certification.models import Certification
from applications.certification.rules import effective_status
from applications.certification.schemas import CertificationPublic, Verification


def status_today(certification: Certification, today: date) -> CertificationPublic:
    """The certification with its status as of ``today``."""
    return CertificationPublic(
        **certification.model_dump(exclude={"status"}),
        status=effective_status(
            certification.status, valid_through=certification.valid_through, today=today
        ),
    )


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
