"""How a service's rules become data: a board preset, overridable value by value.

Only the plumbing lives here; each service defines its own policy fields and presets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

P = TypeVar("P", bound="BoardPolicy")


class BoardPolicy(BaseModel):
    """The fields every service's policy has: which board, and the zone its days count in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    board: str = Field(description="the preset this policy starts from")
    time_zone: str = Field(description="windows count calendar days in this zone")

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

    def local_date(self, instant: datetime) -> date:
        """The calendar day ``instant`` falls on in the board's zone (day 0 of a window)."""
        if instant.tzinfo is None:
            raise ValueError("rules take aware instants")
        return instant.astimezone(self.zone).date()

    def start_of_day(self, day: date) -> datetime:
        """The UTC instant at which local ``day`` begins in the board's zone."""
        # fold=0 picks the earlier instant when midnight repeats and, in zones whose DST gap
        # starts at midnight, maps 00:00 to the transition itself: the day's first instant.
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)


def from_preset(
    policy: type[P],
    presets: Mapping[str, Mapping[str, Any]],
    preset: str,
    overrides: Mapping[str, Any] | None = None,
) -> P:
    """The preset named ``preset`` with ``overrides`` applied; unknown names are refused."""
    key = preset.upper()
    if key not in presets:
        raise ValueError(f"unknown policy preset {preset!r}; choose one of {', '.join(presets)}")
    return policy(**{**presets[key], **(overrides or {})})
