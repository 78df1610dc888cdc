"""The applications service's settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field

from certboard_core.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "applications"
    policy_preset: str = "CA"
    # Any policy number, overriding the preset: CERTBOARD_POLICY_OVERRIDES='{"hold_days": 120}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)
    document_dir: Path | None = None
    max_document_bytes: int = Field(default=10 * 1024 * 1024, gt=0)

    @property
    def documents_path(self) -> Path:
        return self.document_dir or self.data_dir / "documents"


@lru_cache
def get_settings() -> Settings:
    return Settings()
