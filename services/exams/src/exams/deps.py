"""Dependencies specific to the exams service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.auth import Role, require_roles
from certboard_core.context import request_context
from certboard_core.storage import DocumentStore
from exams.clients import ApplicationsClient
from exams.config import Settings
from exams.context import ActionContext
from exams.policy import ExamPolicy


async def get_policy(request: Request) -> ExamPolicy:
    policy: ExamPolicy = request.app.state.policy
    return policy


PolicyDep = Annotated[ExamPolicy, Depends(get_policy)]


# --- Authorizations and accommodations: the applications client, documents, the context


async def get_applications(request: Request) -> ApplicationsClient:
    """The applications service's client, calling as this service."""
    state = request.app.state
    return ApplicationsClient(state.http, state.settings.applications_url, state.service_tokens)


async def get_store(request: Request) -> DocumentStore:
    """Where accommodation documents are stored."""
    store: DocumentStore = request.app.state.store
    return store


async def get_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    """The process's session factory, for a read that must not share the request's session."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


async def get_app_settings(request: Request) -> Settings:
    """The settings this process was started with."""
    settings: Settings = request.app.state.settings
    return settings


ApplicationsDep = Annotated[ApplicationsClient, Depends(get_applications)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
Context = Annotated[ActionContext, Depends(request_context)]
STAFF_ONLY = [Depends(require_roles(Role.STAFF))]
APPLICANT_ONLY = [Depends(require_roles(Role.APPLICANT))]
# Who reads exams at all; which ones each may read is decided in the repositories.
READERS = [Depends(require_roles(Role.STAFF, Role.APPLICANT))]
