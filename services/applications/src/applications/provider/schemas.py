"""What the provider registry API reads and returns."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from applications.provider.models import ProviderStatus
from certboard_core.schemas import RequestModel


class ProviderCreate(RequestModel):
    name: str = Field(min_length=2, max_length=200, pattern=r"\S")
    webhook_url: str | None = Field(default=None, max_length=2000)


class ProviderUpdate(RequestModel):
    expected_version: int = Field(ge=1)
    status: ProviderStatus | None = None
    webhook_url: str | None = Field(default=None, max_length=2000)
    clear_webhook: bool = False


class ProviderPublic(BaseModel):
    id: uuid.UUID
    name: str
    status: ProviderStatus
    webhook_url: str | None
    created_at: datetime
    version: int


class ProviderCreated(ProviderPublic):
    webhook_secret: str = Field(description="shown once: the key that signs webhook calls")


class ProgramCreate(RequestModel):
    name: str = Field(min_length=2, max_length=200, pattern=r"\S")
    hours: int = Field(ge=1, le=10_000)


class ProgramPublic(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    name: str
    hours: int
    active: bool
    created_at: datetime
