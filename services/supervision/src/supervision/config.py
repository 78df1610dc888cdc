"""The supervision service's settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field

from certboard_core.settings import ServiceSettings, load_settings


class Settings(ServiceSettings):
    service_name: str = "supervision"
    policy_preset: str = "CA"
    # Asked whether discipline bars a peer before an agreement is drafted or signed.
    applications_url: str = "http://127.0.0.1:8001"
    # How often the in-process sweep looks for short weeks to remind about.
    sweep_interval_seconds: float = Field(default=3600, gt=0)
    # Any policy value, overriding the preset:
    # CERTBOARD_POLICY_OVERRIDES='{"max_hours_worked_without_supervision": 30}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
