"""The supervision service's settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field

from certboard_core.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "supervision"
    policy_preset: str = "CA"
    # Any policy value, overriding the preset:
    # CERTBOARD_POLICY_OVERRIDES='{"max_hours_worked_without_supervision": 30}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)


@lru_cache
def get_settings() -> Settings:
    return Settings()
