"""How an agreement reads: its last day, its status and its risk, computed for a day."""

from __future__ import annotations

from datetime import date

from supervision import rules
from supervision.agreement.models import SupervisionAgreement
from supervision.agreement.schemas import AgreementPublic, AgreementStatus
from supervision.supervisor.models import Supervisor


def last_day(agreement: SupervisionAgreement) -> date | None:
    """The agreement's last day in force: its end or its termination, whichever is first."""
    days = [d for d in (agreement.ends_on, agreement.terminated_on) if d is not None]
    return min(days) if days else None


def status_of(agreement: SupervisionAgreement, today: date) -> AgreementStatus:
    """Where the agreement stands on ``today``."""
    if agreement.terminated_on is not None:
        return AgreementStatus.TERMINATED
    if agreement.signed_by_peer_at is None or agreement.signed_by_supervisor_at is None:
        return AgreementStatus.AWAITING_SIGNATURES
    if agreement.ends_on is not None and agreement.ends_on < today:
        return AgreementStatus.ENDED
    return AgreementStatus.SIGNED if today < agreement.starts_on else AgreementStatus.ACTIVE


def to_public(
    agreement: SupervisionAgreement, supervisor: Supervisor | None, today: date
) -> AgreementPublic:
    """An agreement as the API shows it, its status and risk computed for ``today``."""
    risk = (
        rules.at_risk_from(supervisor.license_expires_on, agreement.starts_on, last_day(agreement))
        if supervisor is not None
        else None
    )
    return AgreementPublic(
        **agreement.model_dump(),
        status=status_of(agreement, today),
        at_risk_from=risk,
        at_risk=risk is not None and risk <= today,
    )
