"""Dependencies specific to the applications service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.clients import SupervisionClient
from applications.config import Settings
from applications.context import ActionContext
from applications.credential.signing import CredentialIssuer
from applications.policy import ApplicationPolicy
from certboard_core.auth import Role, require_roles
from certboard_core.context import public_request_context, request_context
from certboard_core.storage import DocumentStore


async def get_policy(request: Request) -> ApplicationPolicy:
    """The board's policy this process was started with."""
    policy: ApplicationPolicy = request.app.state.policy
    return policy


async def get_store(request: Request) -> DocumentStore:
    """Where documents are stored."""
    store: DocumentStore = request.app.state.store
    return store


async def get_app_settings(request: Request) -> Settings:
    """The settings this process was started with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    """The process's session factory, for a read that must not share the request's session."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


async def get_issuer(request: Request) -> CredentialIssuer:
    """The board as it signs credentials, built when the process started."""
    issuer: CredentialIssuer = request.app.state.credential_issuer
    return issuer


async def get_supervision(request: Request) -> SupervisionClient:
    """The supervision service's client, calling as this service."""
    # A thin wrapper over the process's long-lived HTTP client and service identity.
    state = request.app.state
    return SupervisionClient(state.http, state.settings.supervision_url, state.service_tokens)


PolicyDep = Annotated[ApplicationPolicy, Depends(get_policy)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SupervisionDep = Annotated[SupervisionClient, Depends(get_supervision)]
IssuerDep = Annotated[CredentialIssuer, Depends(get_issuer)]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]


Context = Annotated[ActionContext, Depends(request_context)]
# Public routes: the caller may send no token (``ctx.principal`` is then ``ANONYMOUS``).
PublicContext = Annotated[ActionContext, Depends(public_request_context)]
STAFF_ONLY = [Depends(require_roles(Role.STAFF))]
APPLICANT_ONLY = [Depends(require_roles(Role.APPLICANT))]
# Who reads applications at all; which ones each may read is ApplicationRepository.readable.
READERS = [Depends(require_roles(Role.STAFF, Role.APPLICANT))]
