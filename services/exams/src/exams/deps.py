"""Dependencies specific to the exams service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from exams.policy import ExamPolicy


def get_policy(request: Request) -> ExamPolicy:
    policy: ExamPolicy = request.app.state.policy
    return policy


PolicyDep = Annotated[ExamPolicy, Depends(get_policy)]
