"""The board's rules as data: presets per board, any number overridable by configuration."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from applications.renewal.policy import RENEWAL_PRESETS, RenewalPolicy
from certboard_core.policy import BoardPolicy, from_preset


class ApplicationPolicy(RenewalPolicy, BoardPolicy):
    """Every number the applications service decides with (domain.md §Application, §Time,
    §Renewal and continuing education)."""

    min_applicant_age_years: int = Field(ge=0, le=120)
    first_notification_days: int = Field(
        ge=1, description="notify at least once within this many days of submission"
    )
    incomplete_hold_days: int = Field(
        ge=1, description="an incomplete application is void after this many days"
    )
    approval_valid_months: int = Field(
        ge=1, description="an approval is valid for this many months from the approval day"
    )
    exam_request_min_days_before_expiry: int = Field(
        default=14,
        ge=0,
        description="an exam request is refused when fewer days than this remain to valid-through",
    )
    void_reminder_days_before: tuple[int, ...] = Field(
        description="remind the applicant this many days before the last day to complete"
    )
    expiry_reminder_days_before: tuple[int, ...] = Field(
        description="remind the applicant this many days before the valid-through day"
    )
    expiry_warning_days: int = Field(
        ge=0, description="staff see approvals whose valid-through day is this close"
    )
    requires_background_check: bool = Field(
        description="a passed fingerprint background check is needed before approval"
    )
    requires_recovery_attestations: bool = Field(
        description="2 years in recovery and a diagnosis/treatment/recovery attestation"
    )
    requires_supervision_agreement: bool = Field(
        description="a written agreement with a clinical supervisor is needed"
    )
    training_min_hours: int = Field(
        ge=1, description="a completion certificate needs a program of at least this many hours"
    )
    training_valid_years: int = Field(
        ge=1, description="a training certificate is valid this many years from completion"
    )
    certificate_review_days: int = Field(
        ge=1, description="staff review an uploaded certificate within this many days"
    )
    appeal_window_days: int = Field(
        default=30,
        ge=0,
        description="a discipline decision may be appealed this many days (the board's choice)",
    )
    employer_alert_days_before: tuple[int, ...] = Field(
        default=(90, 60, 30),
        description="tell enrolled employers this many days before the valid-through day",
    )
    application_fee_cents: int = Field(
        ge=0, description="the application fee in cents; 0 when the policy sets no amount"
    )
    currency: str = Field(
        default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the fee amounts"
    )

    @field_validator(
        "void_reminder_days_before", "expiry_reminder_days_before", "employer_alert_days_before"
    )
    @classmethod
    def _reminder_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(days < 0 for days in value):
            raise ValueError("reminder days must be 0 or more")
        if len(set(value)) != len(value):
            raise ValueError("reminder days must be unique")
        # Descending: the earliest reminder first, the order they fall due.
        return tuple(sorted(value, reverse=True))


PRESETS: dict[str, dict[str, Any]] = {
    # Medi-Cal Peer Support Specialist certification (seed 002, closing pages).
    "CA": {
        "board": "CA",
        "time_zone": "America/Los_Angeles",
        "min_applicant_age_years": 18,
        "first_notification_days": 30,
        "incomplete_hold_days": 90,
        "approval_valid_months": 12,
        # "Exam requests made less than 14 days from application expiration date".
        "exam_request_min_days_before_expiry": 14,
        # Reminders and the staff warning window are the board's choice; the seed sets none.
        "void_reminder_days_before": (14, 3),
        "expiry_reminder_days_before": (30, 7),
        "expiry_warning_days": 30,
        "requires_background_check": False,
        "requires_recovery_attestations": False,
        "requires_supervision_agreement": False,
        # The seed points to a fee schedule it does not include: no amount set.
        # 80-hour training from a board-approved provider, valid two years from completion,
        # reviewed within 14 days (seed 002, §Application 6).
        "training_min_hours": 80,
        "training_valid_years": 2,
        "certificate_review_days": 14,
        "application_fee_cents": 0,
        "currency": "USD",
        # Appeals of discipline: the seeds set no window; the board's choice.
        "appeal_window_days": 30,
        # Employers' coming-expiry alerts (domain.md §Discipline and verification).
        "employer_alert_days_before": (90, 60, 30),
        # Renewal and CE, cited where they are defined.
        **RENEWAL_PRESETS["CA"],
    },
    # Montana Board of Behavioral Health (seed 000); its windows follow the CA reading.
    "MT": {
        "board": "MT",
        "time_zone": "America/Denver",
        "min_applicant_age_years": 18,
        "first_notification_days": 30,
        "incomplete_hold_days": 90,
        "approval_valid_months": 12,
        "exam_request_min_days_before_expiry": 14,
        # Reminders and the staff warning window are the board's choice; the seed sets none.
        "void_reminder_days_before": (14, 3),
        "expiry_reminder_days_before": (30, 7),
        "expiry_warning_days": 30,
        # "State Certification": fingerprint background check, 2 years in recovery,
        # attestation of diagnosis/treatment/recovery, agreement with a clinical supervisor.
        "requires_background_check": True,
        "requires_recovery_attestations": True,
        "requires_supervision_agreement": True,
        # "$125 fee" for initial certification.
        # 40 hours of training (seed 000); validity and review follow the CA reading.
        "training_min_hours": 40,
        "training_valid_years": 2,
        "certificate_review_days": 14,
        "application_fee_cents": 12500,
        "currency": "USD",
        # Appeals of discipline: the seeds set no window; the board's choice.
        "appeal_window_days": 30,
        # Employers' coming-expiry alerts (domain.md §Discipline and verification).
        "employer_alert_days_before": (90, 60, 30),
        # Renewal and CE, cited where they are defined.
        **RENEWAL_PRESETS["MT"],
    },
}


def build_policy(preset: str, overrides: dict[str, Any] | None = None) -> ApplicationPolicy:
    """The preset named ``preset`` with ``overrides`` applied; unknown names are refused."""
    return from_preset(ApplicationPolicy, PRESETS, preset, overrides)
