"""The active exam policy, readable by anyone: the portal shows applicants the rules."""

from __future__ import annotations

from fastapi import APIRouter

from certboard_core.errors import RateLimited, error_responses
from certboard_core.ratelimit import PER_CLIENT
from exams.deps import PolicyDep
from exams.policy import ExamPolicy

router = APIRouter(
    prefix="/v1/policy",
    tags=["policy"],
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited),
)


@router.get("")
async def read_policy(policy: PolicyDep) -> ExamPolicy:
    """The numbers this board decides exams with."""
    return policy
