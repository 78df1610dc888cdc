"""This process's own `service` identity, for calls to other services' internal endpoints."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import jwt

from certboard_core.auth import Role
from certboard_core.devissuer import mint_token
from certboard_core.settings import Environment, ServiceSettings

_TOKEN_TTL = timedelta(minutes=15)
_REFRESH_BEFORE = timedelta(minutes=2)


class ServiceTokens:
    """Hands out a current bearer token for this process's service identity.

    Production mounts a token file that the platform keeps fresh; development signs a
    short-lived token with the local development key.
    """

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._cached: tuple[str, datetime] | None = None

    def token(self) -> str:
        if self._settings.service_token_file is not None:
            return self._settings.service_token_file.read_text().strip()
        if self._settings.environment is Environment.PRODUCTION:
            raise RuntimeError("production needs CERTBOARD_SERVICE_TOKEN_FILE for service calls")
        now = datetime.now(UTC)
        with self._lock:
            if self._cached is None or self._cached[1] - now < _REFRESH_BEFORE:
                token = mint_token(
                    self._settings.dev_private_key_file,
                    subject=f"service:{self._settings.service_name}",
                    roles=[Role.SERVICE],
                    ttl=_TOKEN_TTL,
                    issuer=self._settings.jwt_issuer,
                    now=now,
                )
                expires = datetime.fromtimestamp(
                    jwt.decode(token, options={"verify_signature": False})["exp"], UTC
                )
                self._cached = (token, expires)
            return self._cached[0]
