"""The per-request GraphQL context: the verified caller, bound backend clients, fresh loaders."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from fastapi import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from certboard_core.auth import Principal, Role, TokenVerifier, bearer_token
from gateway.clients.backends import Backends, RequestBackends
from gateway.config import Settings
from gateway.errors import CodedError
from gateway.schema.applications.loaders import application_views, audit_trails
from gateway.schema.ce.loaders import ce_records
from gateway.schema.exams.authorization_loaders import exam_summaries
from gateway.schema.supervision.agreement_loaders import (
    Period,
    agreement_sessions,
    overviews,
    peer_agreements,
)


class GatewayContext(BaseContext):
    """One request's caller, its bound backend clients and its own DataLoaders."""

    def __init__(
        self,
        *,
        principal: Principal | None,
        backends: RequestBackends,
        settings: Settings,
    ) -> None:
        super().__init__()
        self.principal = principal
        self.backends = backends
        self.settings = settings

    # Built per request, so a loader's cache never outlives the caller it was filled for, and
    # on first use: most operations need neither.
    @cached_property
    def application_views(self) -> DataLoader[str, dict[str, Any]]:
        """Status views by application id, read in batches."""
        return application_views(self.backends.applications)

    @cached_property
    def audit_trails(self) -> DataLoader[str, list[dict[str, Any]]]:
        """Staff: audit events by application id, read in batches."""
        return audit_trails(self.backends.applications)

    @cached_property
    def ce_records(self) -> DataLoader[str, list[dict[str, Any]]]:
        """CE records by certification id, read in batches."""
        return ce_records(self.backends.applications)

    @cached_property
    def exam_summaries(self) -> DataLoader[str, dict[str, Any]]:
        """Exam summaries by application id, read in batches."""
        return exam_summaries(self.backends.exams)

    @cached_property
    def agreement_sessions(self) -> DataLoader[str, list[dict[str, Any]]]:
        """Current supervision sessions by agreement id, read in batches."""
        return agreement_sessions(self.backends.supervision)

    @cached_property
    def peer_agreements(self) -> DataLoader[str, list[dict[str, Any]]]:
        """Supervision agreements by peer applicant id, read in batches."""
        return peer_agreements(self.backends.supervision)

    @cached_property
    def supervision_overviews(self) -> DataLoader[Period, dict[str, Any]]:
        """The caller's whole supervision by compliance period, one call each."""
        return overviews(self.backends.supervision, self.agreement_sessions)

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


async def get_context(request: Request) -> GatewayContext:
    """FastAPI dependency: verify the caller (if any token was sent) and build the context."""
    principal = None
    if request.headers.get("Authorization"):
        verifier: TokenVerifier = request.app.state.verifier
        principal = await verifier.verify(bearer_token(request))
    backends: Backends = request.app.state.backends
    return GatewayContext(
        principal=principal,
        backends=backends.for_request(
            principal.token if principal else None,
            getattr(request.state, "request_id", None),
            request.client.host if request.client else None,
        ),
        settings=request.app.state.settings,
    )
