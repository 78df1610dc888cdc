"""The applications service's settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator

from applications.credential.keys import NoSigningKey, load_keyring
from certboard_core.settings import (
    ServiceSettings,
    load_settings,
    refuse_in_production,
    require_folder,
)


class Settings(ServiceSettings):
    service_name: str = "applications"
    policy_preset: str = "CA"
    # Any policy number, overriding the preset, as JSON:
    # CERTBOARD_POLICY_OVERRIDES='{"incomplete_hold_days": 120}'.
    policy_overrides: dict[str, Any] = Field(default_factory=dict)
    document_dir: Path | None = None
    max_document_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    supervision_url: str = "http://127.0.0.1:8003"
    sweep_interval_seconds: float = Field(default=300, gt=0)
    # Chunks of the sweep closed at once, each in its own transaction (PostgreSQL: one per
    # core is about right; SQLite has one writer, so it always works one chunk at a time).
    sweep_workers: int = Field(default=2, ge=1, le=16)

    # Signed credentials (credential/): the board's own Ed25519 keys, apart from any token
    # issuer. Unset: made on first run under the data dir; set (production): a mounted folder
    # of keys, never written to (the last file by name signs, the others still verify).
    credential_key_dir: Path | None = None
    # The public origin credentials name (issuer, achievement, status lists): where verifiers
    # reach this service (or the gateway in front of it).
    credential_base_url: str = "http://127.0.0.1:8001"
    credential_issuer_name: str = "Peer Support Specialist Certification Board"

    notification_sender: Literal["file", "log", "smtp"] = "file"
    notification_dir: Path | None = None
    notification_from: str = "certification-board@example.org"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True

    @model_validator(mode="after")
    def _refuse_unsafe_applications(self) -> Settings:
        if not self.is_production:
            return self
        # Replicas share one store; a folder made on first run would be one replica's own.
        require_folder(self.document_dir, "CERTBOARD_DOCUMENT_DIR", "the shared document store")
        setting = "CERTBOARD_CREDENTIAL_KEY_DIR"
        keys = require_folder(self.credential_key_dir, setting, "the board's signing keys")
        try:
            load_keyring(keys).signer  # noqa: B018 (reading the signer checks it is there)
        except (NoSigningKey, ValueError, TypeError) as exc:
            raise refuse_in_production(
                setting, f"holds no Ed25519 key to sign with ({exc})"
            ) from None
        return self

    @property
    def documents_path(self) -> Path:
        """Where uploaded documents are kept."""
        return self.document_dir or self.data_dir / "documents"

    @property
    def credential_keys_path(self) -> Path:
        """Where the board's credential signing keys are kept."""
        return self.credential_key_dir or self.data_dir / "credential-issuer"

    @property
    def mail_path(self) -> Path:
        """Where the file mail sender writes messages."""
        return self.notification_dir or self.data_dir / "mail"


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment, read once per process."""
    return load_settings(Settings)
