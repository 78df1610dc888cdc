"""The active policy, readable by anyone: the portal shows applicants the rules."""

from __future__ import annotations

from fastapi import APIRouter

from applications.deps import PolicyDep
from applications.policy import ApplicationPolicy

router = APIRouter(prefix="/v1/policy", tags=["policy"])


@router.get("")
async def read_policy(policy: PolicyDep) -> ApplicationPolicy:
    """The numbers this board decides applications with."""
    return policy
