"""Dependencies specific to the supervision service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from supervision.policy import SupervisionPolicy


def get_policy(request: Request) -> SupervisionPolicy:
    policy: SupervisionPolicy = request.app.state.policy
    return policy


PolicyDep = Annotated[SupervisionPolicy, Depends(get_policy)]
