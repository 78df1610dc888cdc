"""The exams service's settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from certboard_core.settings import ServiceSettings, load_settings, require_folder


class Settings(ServiceSettings):
    service_name: str = "exams"
    policy_preset: str = "CA"
    # Any policy number, overriding the preset:
    # CERTBOARD_POLICY_OVERRIDES='{"pass_mark_percent": 75}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)
    # Exam requests ask applications, at that moment, whether the applicant may sit the exam.
    applications_url: str = "http://127.0.0.1:8001"
    # Accommodation evidence: a folder of exams' own, never applications'.
    document_dir: Path | None = None
    max_document_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    sweep_interval_seconds: float = Field(default=300, gt=0)

    @model_validator(mode="after")
    def _refuse_unsafe_exams(self) -> Settings:
        if self.is_production:
            # Replicas share one store; a folder made on first run would be one replica's own.
            require_folder(self.document_dir, "CERTBOARD_DOCUMENT_DIR", "the shared document store")
        return self

    @property
    def documents_path(self) -> Path:
        """Where accommodation documents are kept."""
        return self.document_dir or self.data_dir / "exam-documents"


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
