"""Settings every certboard process shares, read from ``CERTBOARD_*`` environment variables.

Secrets may instead be files in the folder ``CERTBOARD_SECRETS_DIR`` names (a mounted
Kubernetes Secret, Docker secrets), each file named as its variable
(``CERTBOARD_SESSION_SECRET``) and holding its value; a variable that is set wins over a file.
Production refuses to start, naming the setting, when anything it needs is missing or unsafe.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

from limits import parse
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from certboard_core.devissuer import DEV_ISSUER, key_paths


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


SECRETS_DIR_VARIABLE = "CERTBOARD_SECRETS_DIR"
# A shorter bearer token for /metrics could be guessed.
MIN_METRICS_TOKEN = 16
AnySettings = TypeVar("AnySettings", bound=BaseSettings)


def load_settings(cls: type[AnySettings], **values: Any) -> AnySettings:
    """``cls`` from the environment; settings it refuses end the process with one line
    naming each setting (a traceback would bury it)."""
    try:
        return cls(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            field = "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"CERTBOARD_{field}: {message}" if field else message)
        raise SystemExit(f"{cls.__module__}: " + "; ".join(problems)) from None


def refuse_in_production(setting: str, why: str) -> ValueError:
    """The one message production gives when ``setting`` is missing or unsafe."""
    return ValueError(f"production refuses to start: {setting} {why}")


def require_folder(path: Path | None, setting: str, what: str) -> Path:
    """The folder production was given; refused if not given or not there (a volume that was
    not mounted)."""
    if path is None:
        raise refuse_in_production(setting, f"must name {what}")
    if not path.is_dir():
        raise refuse_in_production(setting, f"names {path}, which is not a folder ({what})")
    return path


class ProcessSettings(BaseSettings):
    """What every certboard process reads (each process from its own environment)."""

    # Errors never echo the input: it holds every secret the process was given.
    model_config = SettingsConfigDict(
        env_prefix="CERTBOARD_", extra="ignore", hide_input_in_errors=True
    )

    service_name: str = "process"
    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    log_json: bool = True
    # Read by ``settings_customise_sources`` before everything else; kept to be checked.
    secrets_dir: Path | None = None

    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = ""
    jwt_algorithm: str = "EdDSA"
    # Exactly one key source is used: a JWKS URL (production) or a local public key file (dev).
    jwt_jwks_url: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)

    test_clock_enabled: bool | None = None
    max_request_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    http_timeout_seconds: float = Field(default=10.0, gt=0)

    # Rate limits (certboard_core.ratelimit), on by default in production only. Each is
    # "<count>/<period>" ("60/minute", "5/second", "1000/day"): per client address on public
    # routes and on requests refused for their token, per provider on certificate uploads.
    rate_limits_enabled: bool | None = None
    rate_limit_public: str = "60/minute"
    rate_limit_unauthenticated: str = "30/minute"
    rate_limit_uploads: str = "120/minute"
    # Counters live in this process by default; replicas share them through a store such as
    # Redis ("async+redis://host:6379", which needs the `coredis` package).
    rate_limit_storage_uri: str = "async+memory://"

    # Prometheus metrics at /metrics (certboard_core.metrics). Production serves them only to a
    # caller presenting this token (Prometheus's bearer credentials), so the public ingress in
    # front of the gateway and the console never shows them: there they are off without one.
    metrics_enabled: bool | None = None
    metrics_token: SecretStr | None = None
    # Figures read from the database (outbox backlog, work queues) are re-read at most this often.
    metrics_refresh_seconds: float = Field(default=15.0, ge=0)
    # OpenTelemetry traces (certboard_core.tracing): "none" installs no instrumentation at all;
    # "otlp" sends to the collector named by the standard OTEL_EXPORTER_OTLP_* variables;
    # "console" prints spans (development).
    tracing_exporter: Literal["none", "otlp", "console"] = "none"
    tracing_sample_ratio: float = Field(default=1.0, ge=0, le=1)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then files in ``CERTBOARD_SECRETS_DIR``."""
        folder = os.environ.get(SECRETS_DIR_VARIABLE)
        sources = (init_settings, env_settings, dotenv_settings)
        if folder and Path(folder).is_dir():
            return (*sources, SecretsSettingsSource(settings_cls, secrets_dir=folder))
        return sources

    @field_validator("rate_limit_public", "rate_limit_unauthenticated", "rate_limit_uploads")
    @classmethod
    def _a_limit(cls, value: str) -> str:
        # parse raises ValueError (reported with the setting's name) for a malformed limit.
        if parse(value).amount < 1:
            raise ValueError("a limit allows at least one request per period")
        return value

    @field_validator("metrics_token")
    @classmethod
    def _a_long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_METRICS_TOKEN:
            raise ValueError(f"the metrics token needs at least {MIN_METRICS_TOKEN} characters")
        return value

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> ProcessSettings:
        if self.secrets_dir is not None and not self.secrets_dir.is_dir():
            raise ValueError(f"{SECRETS_DIR_VARIABLE} names {self.secrets_dir}, not a folder")
        if self.is_production:
            if self.test_clock_enabled:
                raise refuse_in_production(
                    "CERTBOARD_TEST_CLOCK_ENABLED",
                    "cannot be set: the test clock exists only in development and test",
                )
            if self.jwt_issuer == DEV_ISSUER:
                raise refuse_in_production(
                    "CERTBOARD_JWT_ISSUER",
                    "must name the board's identity provider, not the development issuer",
                )
            if self.jwt_public_key_file is not None:
                raise refuse_in_production(
                    "CERTBOARD_JWT_PUBLIC_KEY_FILE",
                    "cannot be set: keys come from the identity provider's JWKS",
                )
            if self.jwt_jwks_url is None:
                raise refuse_in_production(
                    "CERTBOARD_JWT_JWKS_URL", "must name the identity provider's signing keys"
                )
            if self.metrics_enabled and self.metrics_token is None:
                raise refuse_in_production(
                    "CERTBOARD_METRICS_TOKEN", "must be set for /metrics to be served"
                )
        if self.test_clock_enabled is None:
            self.test_clock_enabled = self.environment is not Environment.PRODUCTION
        if self.metrics_enabled is None:
            self.metrics_enabled = not self.is_production or self.metrics_token is not None
        if self.rate_limits_enabled is None:
            self.rate_limits_enabled = self.environment is Environment.PRODUCTION
        if not self.jwt_audience:
            self.jwt_audience = f"certboard-{self.service_name}"
        if self.jwt_jwks_url is None and self.jwt_public_key_file is None:
            self.jwt_public_key_file = key_paths(self.data_dir)[1]
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def clock_controllable(self) -> bool:
        return bool(self.test_clock_enabled)

    @property
    def dev_private_key_file(self) -> Path:
        return key_paths(self.data_dir)[0]


class DatabaseSettings(ProcessSettings):
    """A process with a database of its own (a service, or its migrations)."""

    database_url: str = ""

    @model_validator(mode="after")
    def _default_database(self) -> DatabaseSettings:
        if not self.database_url:
            if self.is_production:
                raise refuse_in_production(
                    "CERTBOARD_DATABASE_URL", "must name the service's PostgreSQL database"
                )
            self.database_url = default_database_url(self.data_dir, self.service_name)
        if self.is_production:
            try:
                backend = make_url(self.database_url).get_backend_name()
            except ArgumentError:
                backend = None
            if backend != "postgresql":
                raise refuse_in_production(
                    "CERTBOARD_DATABASE_URL",
                    "must name a PostgreSQL database: SQLite is for development only",
                )
        return self


class ServiceSettings(DatabaseSettings):
    """A backend service: it also owns an outbox and calls other services."""

    # Service-to-service identity: in development the process signs its own short-lived
    # `service` token with the dev issuer's key; in production it is given a token file
    # that the platform (e.g. a client-credentials sidecar) keeps fresh.
    service_token_file: Path | None = None
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    # A hand-over that takes longer is a failure, retried with backoff; leases are sized by it.
    outbox_delivery_timeout_seconds: float = Field(default=10.0, gt=0)
    # Added to a claim's lease beyond its hand-overs' timeouts, for the claim's and settling
    # writes; a crashed replica's claims are taken again once it lapses.
    outbox_lease_margin_seconds: float = Field(default=30.0, gt=0)
    # Subscribers served at once, each in its own lane, so a hung one delays only itself.
    outbox_concurrency: int = Field(default=8, ge=1)
    # Subscriber name -> base URL; every event this service publishes goes to each of them.
    outbox_subscribers: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _refuse_unsafe_service(self) -> ServiceSettings:
        if self.is_production and self.service_token_file is None:
            raise refuse_in_production(
                "CERTBOARD_SERVICE_TOKEN_FILE",
                "must name the file holding this service's token for calls and deliveries",
            )
        return self


def default_database_url(data_dir: Path, service_name: str) -> str:
    """A service's SQLite file in the data folder, where ``certboard run`` keeps it."""
    return f"sqlite+aiosqlite:///{data_dir / service_name}.db"
