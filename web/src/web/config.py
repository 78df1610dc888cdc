"""The web console's settings (``CERTBOARD_*``, like every other process)."""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator

from certboard_core.settings import Environment, ProcessSettings, load_settings

# A session secret shorter than this is guessable enough to forge a session cookie.
MIN_SECRET_CHARS = 32


class Settings(ProcessSettings):
    service_name: str = "web"
    gateway_url: str = "http://127.0.0.1:8000"
    # Signs the session cookie. Development makes one on first run under the data folder
    # (never in the repository); production must be given one, from a secret store.
    session_secret: SecretStr | None = None
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    # The development sign-in page (role and subject picked by hand, token from the dev
    # issuer); production signs in through the board's identity provider instead.
    dev_sign_in: bool | None = None
    # Rows of public search results per page.
    page_size: int = Field(default=20, ge=1, le=50)

    @model_validator(mode="after")
    def _refuse_unsafe_web(self) -> Settings:
        production = self.environment is Environment.PRODUCTION
        if production and self.dev_sign_in:
            raise ValueError("CERTBOARD_DEV_SIGN_IN cannot be set in production")
        if self.dev_sign_in is None:
            self.dev_sign_in = not production
        if production:
            if self.session_secret is None:
                raise ValueError("production needs CERTBOARD_SESSION_SECRET (signs the sessions)")
            value = self.session_secret.get_secret_value()
            if len(value) < MIN_SECRET_CHARS or len(set(value)) < 8:
                raise ValueError(
                    f"CERTBOARD_SESSION_SECRET must be at least {MIN_SECRET_CHARS} random "
                    "characters"
                )
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    def session_key(self) -> str:
        """The secret that signs session cookies: given, or made once in the data folder."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        return ensure_session_secret(self.data_dir)


def ensure_session_secret(data_dir: Path) -> str:
    """Read ``<data>/web/session-secret``, creating it (owner-only) on first use."""
    path = data_dir / "web" / "session-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        # A link never replaces: of two first starts at once, both end up with the same secret,
        # and a reader never sees half of one.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
