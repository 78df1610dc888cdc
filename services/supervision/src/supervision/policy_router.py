"""The active policy, readable by anyone: peers and supervisors see the rules they work under."""

from __future__ import annotations

from fastapi import APIRouter

from certboard_core.errors import RateLimited, error_responses
from certboard_core.ratelimit import PER_CLIENT
from supervision.deps import PolicyDep
from supervision.policy import SupervisionPolicy

router = APIRouter(
    prefix="/v1/policy",
    tags=["policy"],
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited),
)


@router.get("")
async def read_policy(policy: PolicyDep) -> SupervisionPolicy:
    """The rules this board decides supervision with."""
    return policy
