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
    # Sign-in through the board's OpenID Connect provider (web/auth/oidc.py). Required in
    # production; in development, setting the issuer replaces the development sign-in page,
    # so a developer with a provider signs in exactly as production does.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid profile"
    # The callback address registered with the provider; unset, it is this site's
    # /auth/callback as the request reached it (behind a proxy, set it).
    oidc_redirect_url: str | None = None
    # Where the provider sends the browser after signing out there (registered with it too);
    # unset, this site's front page as the request reached it.
    oidc_post_logout_redirect_url: str | None = None

    @model_validator(mode="after")
    def _refuse_unsafe_web(self) -> Settings:
        production = self.environment is Environment.PRODUCTION
        if production and self.dev_sign_in:
            raise ValueError("CERTBOARD_DEV_SIGN_IN cannot be set in production")
        if self.oidc_issuer is not None and self.dev_sign_in:
            raise ValueError(
                "CERTBOARD_DEV_SIGN_IN and CERTBOARD_OIDC_ISSUER both sign in at /signin: set one"
            )
        if self.dev_sign_in is None:
            self.dev_sign_in = not production and self.oidc_issuer is None
        if production:
            if self.session_secret is None:
                raise ValueError("production needs CERTBOARD_SESSION_SECRET (signs the sessions)")
            value = self.session_secret.get_secret_value()
            if len(value) < MIN_SECRET_CHARS or len(set(value)) < 8:
                raise ValueError(
                    f"CERTBOARD_SESSION_SECRET must be at least {MIN_SECRET_CHARS} random "
                    "characters"
                )
        if production or self.oidc_issuer is not None:
            self._require_oidc(production)
        return self

    def _require_oidc(self, production: bool) -> None:
        for name in ("oidc_issuer", "oidc_client_id", "oidc_client_secret"):
            if not getattr(self, name):
                raise ValueError(
                    f"{'production' if production else 'OIDC sign-in'} needs "
                    f"CERTBOARD_{name.upper()}"
                )
        # The console hands the provider's access token to the gateway, which trusts one
        # issuer: a provider other than that one would sign people in to nothing.
        if self.oidc_issuer != self.jwt_issuer:
            raise ValueError(
                "CERTBOARD_OIDC_ISSUER must be the issuer the gateway trusts, "
                "CERTBOARD_JWT_ISSUER (and CERTBOARD_JWT_JWKS_URL its keys)"
            )
        assert self.oidc_client_secret is not None
        if production and len(self.oidc_client_secret.get_secret_value()) < MIN_SECRET_CHARS:
            raise ValueError(
                f"CERTBOARD_OIDC_CLIENT_SECRET must be at least {MIN_SECRET_CHARS} characters"
            )

    @property
    def sign_in_enabled(self) -> bool:
        """Whether /signin exists: the development page or the provider's flow."""
        return bool(self.dev_sign_in) or self.oidc_issuer is not None

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
