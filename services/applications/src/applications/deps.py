"""Dependencies specific to the applications service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from applications.config import Settings
from applications.policy import ApplicationPolicy
from applications.storage import DocumentStore


def get_policy(request: Request) -> ApplicationPolicy:
    policy: ApplicationPolicy = request.app.state.policy
    return policy


def get_store(request: Request) -> DocumentStore:
    store: DocumentStore = request.app.state.store
    return store


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


PolicyDep = Annotated[ApplicationPolicy, Depends(get_policy)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
