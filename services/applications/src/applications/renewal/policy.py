"""The numbers of renewal and continuing education (domain.md §Renewal and continuing
education), a base of ``ApplicationPolicy`` so they are overridable like any other number."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from applications.renewal.categories import HUNDREDTHS_PER_HOUR, CeCategory


class CycleConvention(StrEnum):
    """How a certification's periods fall on the calendar."""

    # [issue, issue + N months), then from the day after each valid-through day (domain.md §Time).
    ANNIVERSARY = "anniversary"
    # The first period ends on 31 December of the year of issue; each renewal adds N months
    # from 1 January, so every later period is whole calendar years.
    CALENDAR_YEAR = "calendar_year"


class CeMinimum(BaseModel):
    """Hours of one category needed in each span of ``every_cycles`` cycles."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: CeCategory
    hours_hundredths: int = Field(ge=1, description="hundredths of an hour per span")
    every_cycles: int = Field(
        default=1,
        ge=1,
        description="the span in cycles, counted from the first cycle CE is required in",
    )


# Hours in hundredths: 20 * H is 20 hours.
H = HUNDREDTHS_PER_HOUR


class RenewalPolicy(BaseModel):
    """Every number renewal, CE, audits and their reminders decide with."""

    renewal_cycle: CycleConvention = Field(
        description="anniversary periods from issue, or calendar years"
    )
    certification_valid_months: int = Field(
        ge=1,
        description="months per period (a certification's first one, and each renewal); "
        "whole years under the calendar-year convention",
    )
    renewal_window_days: int = Field(
        ge=0, description="renewal opens this many days before the valid-through day"
    )
    lapse_grace_days: int = Field(
        ge=0,
        description="days after the valid-through day a renewal is late but the certification "
        "is lapsed, not expired (practice stays lawful)",
    )
    termination_after_months: int | None = Field(
        ge=1,
        description="an expired certification is terminated after the valid-through day + "
        "this many months; none: never terminated",
    )
    ce_hours_per_cycle_hundredths: int = Field(
        ge=0, description="CE hours (hundredths) needed in each cycle CE is required in"
    )
    ce_minimums: tuple[CeMinimum, ...] = Field(
        description="per-category hours within the total, each over its span of cycles"
    )
    ce_carry_over_cap_hundredths: int = Field(
        ge=0, description="unused hours carried into the next cycle, at most this many"
    )
    ce_first_required_cycle: int = Field(
        ge=0,
        description="the first cycle CE is required in (0: the cycle of issue); hours of the "
        "cycles before may still carry over",
    )
    ce_proof_required_for_renewal: bool = Field(
        description="the ledger must show the hours before a renewal; else the person attests"
    )
    renewal_reminder_days_before: tuple[int, ...] = Field(
        description="remind the holder this many days before the valid-through day"
    )
    audit_share_percent: int = Field(
        ge=0, le=100, description="the share of a closed renewal round drawn for a CE audit"
    )
    audit_share_cap_percent: int = Field(
        ge=0, le=100, description="the largest audit share the board's law allows"
    )
    audit_proof_days: int = Field(ge=1, description="days an audited person has to upload proof")
    audit_cure_days: int = Field(
        ge=1, description="days to cure a deficient audit before it goes to staff for action"
    )
    reinstatement_requires_audit: bool = Field(
        description="an expired certification is reinstated only with a CE audit"
    )
    reinstatement_requires_all_accrued_ce: bool = Field(
        description="an expired certification is reinstated only with the CE of every cycle "
        "since its valid-through day"
    )
    renewal_fee_cents: int = Field(ge=0, description="in cents; 0 when the policy sets no amount")
    late_fee_cents: int = Field(ge=0, description="in cents; 0 when the policy sets no amount")
    reinstatement_fee_cents: int = Field(
        ge=0, description="in cents; 0 when the policy sets no amount"
    )

    @model_validator(mode="after")
    def _consistent_renewal(self) -> Self:
        months = self.certification_valid_months
        if self.renewal_cycle is CycleConvention.CALENDAR_YEAR and months % 12:
            raise ValueError("calendar-year periods last whole years (a multiple of 12 months)")
        # The shortest period of N months has 28 * N days (clamped month ends aside).
        if self.renewal_window_days >= 28 * months:
            raise ValueError("the renewal window must open after the period starts")
        term = self.termination_after_months
        if term is not None and self.lapse_grace_days >= 28 * term:
            raise ValueError("termination must come after the lapse grace days")
        if self.audit_share_percent > self.audit_share_cap_percent:
            raise ValueError("the audit share exceeds the board's cap")
        self._check_ce()
        return self

    @field_validator("renewal_reminder_days_before")
    @classmethod
    def _renewal_reminder_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(days < 0 for days in value) or len(set(value)) != len(value):
            raise ValueError("reminder days must be unique and 0 or more")
        # Descending: the earliest reminder first, the order they fall due.
        return tuple(sorted(value, reverse=True))

    def _check_ce(self) -> None:
        categories = [m.category for m in self.ce_minimums]
        if len(set(categories)) != len(categories):
            raise ValueError("one CE minimum per category")
        total = self.ce_hours_per_cycle_hundredths
        for minimum in self.ce_minimums:
            # Every category hour counts toward the total, so no span may need more than it.
            if minimum.hours_hundredths > total * minimum.every_cycles:
                raise ValueError(f"the {minimum.category} minimum exceeds the total hours")
        if sum(m.hours_hundredths for m in self.ce_minimums if m.every_cycles == 1) > total:
            raise ValueError("the per-cycle category minimums exceed the total hours")


RENEWAL_PRESETS: dict[str, dict[str, Any]] = {
    # CA (domain.md §Renewal, capeercertification.org renewal pages).
    "CA": {
        # "Certification is valid for two years" (seed 002); renewed every 2 years from issue.
        "renewal_cycle": CycleConvention.ANNIVERSARY,
        "certification_valid_months": 24,
        # "renewal opens 90 days before expiry"; open through the valid-through day.
        "renewal_window_days": 90,
        # Not renewed by expiry: expired at once, never terminated (reinstatement exists).
        "lapse_grace_days": 0,
        "termination_after_months": None,
        # 20 hours per cycle, 6 of law and ethics counted within them; nothing carries.
        "ce_hours_per_cycle_hundredths": 20 * H,
        "ce_minimums": ({"category": CeCategory.LAW_AND_ETHICS, "hours_hundredths": 6 * H},),
        "ce_carry_over_cap_hundredths": 0,
        "ce_first_required_cycle": 0,
        # The reading: the ledger must show the hours or the renewal is refused.
        "ce_proof_required_for_renewal": True,
        # "CA sends one at 90".
        "renewal_reminder_days_before": (90,),
        # Hours are proven before renewal, so a later audit would find nothing new: none drawn
        # unless the board overrides it. Proof and cure days: the board's choice, as MT's.
        "audit_share_percent": 0,
        "audit_share_cap_percent": 100,
        "audit_proof_days": 30,
        "audit_cure_days": 30,
        # Reinstatement is a fee; CE is proven as for any renewal (the current cycle's).
        "reinstatement_requires_audit": False,
        "reinstatement_requires_all_accrued_ce": False,
        # Fees (2024): renewal $80, reinstatement $80; "with a late fee" gives no amount.
        "renewal_fee_cents": 8000,
        "late_fee_cents": 0,
        "reinstatement_fee_cents": 8000,
    },
    # MT (seed 000 "Every Subsequent Year"; BBH CE rule; MCA 37-1-141, 37-1-306).
    "MT": {
        # Renewal every year on the calendar year; the first valid-through is 31 December.
        "renewal_cycle": CycleConvention.CALENDAR_YEAR,
        "certification_valid_months": 12,
        # The board's choice (the sources set none): open on the day of the first reminder,
        # so every reminder points at a renewal that can be done that day (2 Oct for 31 Dec).
        "renewal_window_days": 90,
        # Lapsed days 1-45 after expiry; expired through valid-through + 24 months, then
        # terminated (a new application).
        "lapse_grace_days": 45,
        "termination_after_months": 24,
        # 20 hours a year "starting in year 2"; "Year two begins January 1 for all BHPSS
        # regardless of when they were certified" (seed 000): cycle 0 is the year of issue.
        "ce_hours_per_cycle_hundredths": 20 * H,
        # 2 hours of suicide prevention in each pair of years from the first full year.
        "ce_minimums": (
            {
                "category": CeCategory.SUICIDE_PREVENTION,
                "hours_hundredths": 2 * H,
                "every_cycles": 2,
            },
        ),
        # "transfer up to 20 CEU credits into the following year" (seed 000).
        "ce_carry_over_cap_hundredths": 20 * H,
        "ce_first_required_cycle": 1,
        # MCA 37-1-306: proof may not be a condition of renewal; attest, then a random audit.
        "ce_proof_required_for_renewal": False,
        "renewal_reminder_days_before": (90, 60, 30),
        # Up to 50% by law; the board's choice here is 10%: a real chance of being drawn for
        # everyone while staff can review the round within the proof and cure days.
        "audit_share_percent": 10,
        "audit_share_cap_percent": 50,
        "audit_proof_days": 30,
        "audit_cure_days": 30,
        # Expired: reinstated only with all accrued CE, the fees and an audit.
        "reinstatement_requires_audit": True,
        "reinstatement_requires_all_accrued_ce": True,
        # "$93 yearly renewal fee" (seed 000); the seed gives no late or reinstatement amount.
        "renewal_fee_cents": 9300,
        "late_fee_cents": 0,
        "reinstatement_fee_cents": 0,
    },
}
