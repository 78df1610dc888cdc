"""The per-request GraphQL context: the verified caller, backend clients and fresh DataLoaders."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from certboard_core.auth import Principal, Role, TokenVerifier, bearer_token
from gateway.clients import Backends, application_path
from gateway.config import Settings
from gateway.errors import CodedError

# Detail reads one list may start at once against the applications service.
DETAIL_READS_AT_ONCE = 8


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
        self.application_details = DataLoader[str, dict[str, Any]](
            load_fn=self._load_application_details
        )
        self._detail_reads = asyncio.Semaphore(DETAIL_READS_AT_ONCE)

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

    async def _load_application_details(
        self, ids: list[str]
    ) -> list[dict[str, Any] | BaseException]:
        # The service has no batch detail read: one GET per id, a few at a time, failures
        # (NOT_FOUND for someone else's application) kept as values for their own key.
        return await asyncio.gather(*(self._read_detail(i) for i in ids), return_exceptions=True)

    async def _read_detail(self, application_id: str) -> dict[str, Any]:
        async with self._detail_reads:
            detail: dict[str, Any] = await self.backends.applications.get_json(
                application_path(application_id),
                token=self.token,
                request_id=self.request_id,
            )
        return detail


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
