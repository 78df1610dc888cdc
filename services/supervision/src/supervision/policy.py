"""The board's supervision rules as data: presets per board, any value overridable."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from certboard_core.policy import BoardPolicy, from_preset


class LicenseType(StrEnum):
    """A clinical license a supervisor may hold (domain.md §Supervision, the MT list)."""

    PHYSICIAN = "physician"
    PSYCHOLOGIST = "psychologist"
    LICENSED_SOCIAL_WORKER = "licensed_social_worker"
    LICENSED_PROFESSIONAL_COUNSELOR = "licensed_professional_counselor"
    APRN_PSYCHIATRIC_MENTAL_HEALTH = "aprn_psychiatric_mental_health"
    MARRIAGE_AND_FAMILY_THERAPIST = "marriage_and_family_therapist"
    LICENSED_ADDICTION_COUNSELOR = "licensed_addiction_counselor"
    # UT's list: a licensed mental health therapist, or a licensed (A)SUDC where the services
    # are for substance use disorders (whether they are is the board's call at verification).
    LICENSED_MENTAL_HEALTH_THERAPIST = "licensed_mental_health_therapist"
    SUBSTANCE_USE_DISORDER_COUNSELOR = "substance_use_disorder_counselor"


# The license lists a board can name instead of spelling out its types (domain.md §Supervision).
LICENSE_LISTS: dict[str, tuple[LicenseType, ...]] = {
    "MT": (
        LicenseType.PHYSICIAN,
        LicenseType.PSYCHOLOGIST,
        LicenseType.LICENSED_SOCIAL_WORKER,
        LicenseType.LICENSED_PROFESSIONAL_COUNSELOR,
        LicenseType.APRN_PSYCHIATRIC_MENTAL_HEALTH,
        LicenseType.MARRIAGE_AND_FAMILY_THERAPIST,
        LicenseType.LICENSED_ADDICTION_COUNSELOR,
    ),
    "UT": (
        LicenseType.LICENSED_MENTAL_HEALTH_THERAPIST,
        LicenseType.SUBSTANCE_USE_DISORDER_COUNSELOR,
    ),
}


# The rules that only make sense when the board requires supervision at all.
_SUPERVISION_RULES = (
    "worked_hours_per_supervision_hour",
    "max_hours_worked_without_supervision",
    "session_increment_minutes",
    "min_years_post_licensure",
    "min_supervision_ce_hours",
    "accepted_license_types",
    "records_retention_years",
)


class SupervisionPolicy(BoardPolicy):
    """Every value the supervision service decides with; None or False switches a rule off."""

    time_zone: str = Field(description="session dates are local days in this zone")
    supervision_required: bool = Field(
        description="certification needs a written agreement with a clinical supervisor"
    )
    worked_hours_per_supervision_hour: int | None = Field(
        default=None, ge=1, description="one hour of supervision is due for every N hours worked"
    )
    max_hours_worked_without_supervision: int | None = Field(default=None, ge=1)
    session_increment_minutes: int | None = Field(
        default=None, ge=1, le=60, description="sessions are logged in these increments"
    )
    weekly_supervision_required: bool = Field(
        default=False, description="supervision every week (UT, for Medicaid billing)"
    )
    min_years_post_licensure: int | None = Field(
        default=None, ge=0, description="a supervisor qualifies with this many years licensed"
    )
    min_supervision_ce_hours: int | None = Field(
        default=None, ge=0, description="or with this many clinical supervision CE hours"
    )
    accepted_license_types: tuple[LicenseType, ...] | None = Field(
        default=None,
        description='licenses a supervisor may hold ("MT" or "UT" names that list); None: any',
    )
    records_retention_years: int | None = Field(default=None, ge=1)
    shortfall_follow_up_days: int = Field(
        default=14,
        ge=0,
        description="staff follow up a short week within this many days of its Sunday "
        "(the board's choice: no seed sets one)",
    )

    @field_validator("accepted_license_types", mode="before")
    @classmethod
    def _named_list(cls, value: Any) -> Any:
        # CERTBOARD_POLICY_OVERRIDES='{"accepted_license_types": "UT"}' selects Utah's list.
        if isinstance(value, str):
            if value not in LICENSE_LISTS:
                raise ValueError(f"no license list named {value!r} (known: MT, UT)")
            return LICENSE_LISTS[value]
        return value

    @model_validator(mode="after")
    def _coherent(self) -> SupervisionPolicy:
        # A supervision number on a board without supervision is a misconfiguration, not a rule.
        if not self.supervision_required:
            set_rules = [name for name in _SUPERVISION_RULES if getattr(self, name) is not None]
            if self.weekly_supervision_required:
                set_rules.append("weekly_supervision_required")
            if set_rules:
                raise ValueError(f"{', '.join(set_rules)} need supervision_required")
        return self


PRESETS: dict[str, dict[str, Any]] = {
    # Medi-Cal Peer Support Specialist certification (seed 002, closing pages): it sets no
    # supervision rule, so every supervision rule is switched off.
    "CA": {
        "board": "CA",
        "time_zone": "America/Los_Angeles",
        "supervision_required": False,
    },
    # Montana Board of Behavioral Health (seed 000, "State Certification" and the FAQ): the
    # written agreement, 1 h per 20 h worked, the license list, 3 years or 20 CE hours, 7-year
    # records; the 40-hour cap and 15-minute increments are from Montana's administrative rule
    # for CBHPSS supervision. UT's weekly rule is Medicaid billing, not Montana's.
    "MT": {
        "board": "MT",
        "time_zone": "America/Denver",
        "supervision_required": True,
        "worked_hours_per_supervision_hour": 20,
        "max_hours_worked_without_supervision": 40,
        "session_increment_minutes": 15,
        "weekly_supervision_required": False,
        "min_years_post_licensure": 3,
        "min_supervision_ce_hours": 20,
        "accepted_license_types": LICENSE_LISTS["MT"],
        "records_retention_years": 7,
    },
}


def build_policy(preset: str, overrides: dict[str, Any] | None = None) -> SupervisionPolicy:
    """The preset named ``preset`` with ``overrides`` applied; unknown names are refused."""
    return from_preset(SupervisionPolicy, PRESETS, preset, overrides)
