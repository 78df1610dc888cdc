"""The per-request GraphQL context: the verified caller, backend clients and fresh DataLoaders."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from certboard_core.auth import Principal, Role, TokenVerifier, bearer_token
from gateway.clients import Backends
from gateway.config import Settings
from gateway.errors import CodedError


class GatewayContext(BaseContext):
    def __init__(
        self,
        *,
        principal: Principal | None,
        request_id: str | None,
        backends: Backends,
        settings: Settings,
    ) -> None:
        super().__init__()
        self.principal = principal
        self.request_id = request_id
        self.backends = backends
        self.settings = settings
        # Built per request: a loader's cache must never outlive the caller it was filled for.
        self.applications = DataLoader[str, dict[str, Any]](load_fn=self._load_applications)

    @property
    def token(self) -> str | None:
        return self.principal.token if self.principal else None

    def require(self, *roles: Role) -> Principal:
        """The caller, who must hold one of ``roles``."""
        if self.principal is None:
            raise CodedError(
                "UNAUTHENTICATED", "sign in first: this needs a bearer token", status=401
            )
        if not self.principal.has(*roles):
            allowed = ", ".join(r.value for r in roles)
            raise CodedError("FORBIDDEN", f"this needs the role {allowed}", status=403)
        return self.principal

    async def _load_applications(self, ids: list[str]) -> list[dict[str, Any] | BaseException]:
        page = await self.backends.applications.get_json(
            "/v1/applications",
            token=self.token,
            request_id=self.request_id,
            params=[("id", i) for i in ids] + [("limit", str(len(ids)))],
        )
        found = {item["id"]: item for item in page["items"]}
        return [
            found.get(i) or CodedError("NOT_FOUND", "no such application", field="id", status=404)
            for i in ids
        ]


async def get_context(request: Request) -> GatewayContext:
    """FastAPI dependency: verify the caller (if any token was sent) and build the context."""
    principal = None
    if request.headers.get("Authorization"):
        verifier: TokenVerifier = request.app.state.verifier
        principal = await verifier.verify(bearer_token(request))
    return GatewayContext(
        principal=principal,
        request_id=getattr(request.state, "request_id", None),
        backends=request.app.state.backends,
        settings=request.app.state.settings,
    )
