"""The active policy, readable by anyone: peers and supervisors see the rules they work under."""

from __future__ import annotations

from fastapi import APIRouter

from supervision.deps import PolicyDep
from supervision.policy import SupervisionPolicy

router = APIRouter(prefix="/v1/policy", tags=["policy"])


@router.get("")
async def read_policy(policy: PolicyDep) -> SupervisionPolicy:
    """The rules this board decides supervision with."""
    return policy
