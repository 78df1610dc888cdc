"""Dependencies specific to the supervision service."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from fastapi import Depends, Request

from certboard_core.context import RequestContext, request_context
from supervision.clients import ApplicationsClient
from supervision.policy import SupervisionPolicy

ActionContext: TypeAlias = RequestContext[SupervisionPolicy]


async def get_policy(request: Request) -> SupervisionPolicy:
    policy: SupervisionPolicy = request.app.state.policy
    return policy


async def get_applications(request: Request) -> ApplicationsClient:
    """The applications service's client, calling as this service."""
    state = request.app.state
    return ApplicationsClient(state.http, state.settings.applications_url, state.service_tokens)


PolicyDep = Annotated[SupervisionPolicy, Depends(get_policy)]
ApplicationsDep = Annotated[ApplicationsClient, Depends(get_applications)]
Context = Annotated[ActionContext, Depends(request_context)]
