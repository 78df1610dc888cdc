"""The active exam policy, readable by anyone: the portal shows applicants the rules."""

from __future__ import annotations

from fastapi import APIRouter

from exams.deps import PolicyDep
from exams.policy import ExamPolicy

router = APIRouter(prefix="/v1/policy", tags=["policy"])


@router.get("")
async def read_policy(policy: PolicyDep) -> ExamPolicy:
    """The numbers this board decides exams with."""
    return policy
