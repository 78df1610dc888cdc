"""The board's rules as data: presets per board, any number overridable by configuration."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ApplicationPolicy(BaseModel):
    """Every number the applications service decides with (domain.md §Application, §Time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    board: str = Field(description="the preset this policy starts from")
    time_zone: str = Field(description="windows count calendar days in this zone")
    min_applicant_age_years: int = Field(ge=0, le=120)
    first_notification_days: int = Field(
        ge=1, description="notify at least once within this many days of submission"
    )
    incomplete_hold_days: int = Field(
        ge=1, description="an incomplete application is void after this many days"
    )
    approval_valid_months: int = Field(ge=1)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


PRESETS: dict[str, dict[str, Any]] = {
    # Medi-Cal Peer Support Specialist certification (seed 002, closing pages).
    "CA": {
        "board": "CA",
        "time_zone": "America/Los_Angeles",
        "min_applicant_age_years": 18,
        "first_notification_days": 30,
        "incomplete_hold_days": 90,
        "approval_valid_months": 12,
    },
    # Montana Board of Behavioral Health (seed 000); its windows follow the CA reading.
    "MT": {
        "board": "MT",
        "time_zone": "America/Denver",
        "min_applicant_age_years": 18,
        "first_notification_days": 30,
        "incomplete_hold_days": 90,
        "approval_valid_months": 12,
    },
}


def build_policy(preset: str, overrides: dict[str, Any] | None = None) -> ApplicationPolicy:
    """The preset named ``preset`` with ``overrides`` applied; unknown names are refused."""
    key = preset.upper()
    if key not in PRESETS:
        raise ValueError(f"unknown policy preset {preset!r}; choose one of {', '.join(PRESETS)}")
    return ApplicationPolicy(**{**PRESETS[key], **(overrides or {})})
