"""The exams service's settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field

from certboard_core.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "exams"
    policy_preset: str = "CA"
    # Any policy number, overriding the preset:
    # CERTBOARD_POLICY_OVERRIDES='{"pass_mark_percent": 75}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)


@lru_cache
def get_settings() -> Settings:
    return Settings()
