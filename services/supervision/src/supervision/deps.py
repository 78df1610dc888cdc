"""Dependencies specific to the supervision service."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from fastapi import Depends, Request

from certboard_core.context import RequestContext, request_context
from supervision.policy import SupervisionPolicy

ActionContext: TypeAlias = RequestContext[SupervisionPolicy]


def get_policy(request: Request) -> SupervisionPolicy:
    policy: SupervisionPolicy = request.app.state.policy
    return policy


PolicyDep = Annotated[SupervisionPolicy, Depends(get_policy)]
Context = Annotated[ActionContext, Depends(request_context)]
