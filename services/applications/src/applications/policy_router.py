"""The active policy, readable by anyone: the portal shows applicants the rules."""

from __future__ import annotations

from fastapi import APIRouter

from applications.deps import PolicyDep
from applications.policy import ApplicationPolicy
from certboard_core.errors import RateLimited, error_responses
from certboard_core.ratelimit import PER_CLIENT

router = APIRouter(
    prefix="/v1/policy",
    tags=["policy"],
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited),
)


@router.get("")
async def read_policy(policy: PolicyDep) -> ApplicationPolicy:
    """The numbers this board decides applications with."""
    return policy
