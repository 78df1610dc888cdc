"""The gateway's settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, model_validator

from certboard_core.settings import ProcessSettings, load_settings, refuse_in_production


class Settings(ProcessSettings):
    service_name: str = "gateway"
    applications_url: str = "http://127.0.0.1:8001"
    exams_url: str = "http://127.0.0.1:8002"
    supervision_url: str = "http://127.0.0.1:8003"
    max_query_depth: int = Field(default=10, ge=1)
    # GraphiQL's own introspection query nests 14 levels deep.
    max_introspection_depth: int = Field(default=15, ge=14)
    # The query text, checked before it is parsed (the lexer skips comments, so the token
    # limit alone lets megabytes of them through to the parser).
    max_query_bytes: int = Field(default=100 * 1024, ge=1024)
    # File parts in one GraphQL multipart request (the operations and map parts aside).
    max_upload_files: int = Field(default=10, ge=1)
    max_query_tokens: int = Field(default=2000, ge=10)
    max_aliases: int = Field(default=15, ge=1)
    # Root fields of one operation (each a backend read or write): a page needs a handful.
    max_root_fields: int = Field(default=12, ge=1)
    # Operation texts whose parsed, validated document is kept (0: none); see
    # gateway/schema/operation_cache.py.
    operation_cache_size: int = Field(default=128, ge=0)
    # Requests in flight to each backend at once, each on a connection kept open. httpcore's
    # pool examines every connection (polling each socket) whenever a request starts or ends,
    # so its cost grows with the pool: at 100 the gateway spent half its CPU there under 50
    # clients. A backend is one process that answers a few requests at a time anyway; calls
    # past the limit wait their turn on a semaphore, which costs nothing while they wait
    # (bench/README.md, the status benchmark: 0.33x the direct read's throughput at 100,
    # 0.80x at 8).
    backend_connections: int = Field(default=8, ge=1)
    # The GraphiQL page and schema introspection: on outside production, never in it (a
    # schema for browsing is the SDL in the repository).
    graphiql_enabled: bool | None = None
    introspection_enabled: bool | None = None

    @model_validator(mode="after")
    def _refuse_unsafe_gateway(self) -> Settings:
        for setting, value in (
            ("CERTBOARD_GRAPHIQL_ENABLED", self.graphiql_enabled),
            ("CERTBOARD_INTROSPECTION_ENABLED", self.introspection_enabled),
        ):
            if self.is_production and value:
                raise refuse_in_production(setting, "cannot be set: it is for development")
        if self.graphiql_enabled is None:
            self.graphiql_enabled = not self.is_production
        if self.introspection_enabled is None:
            self.introspection_enabled = not self.is_production
        return self

    @property
    def backends(self) -> dict[str, str]:
        return {
            "applications": self.applications_url,
            "exams": self.exams_url,
            "supervision": self.supervision_url,
        }


@lru_cache
def get_settings() -> Settings:
    return load_settings(Settings)
