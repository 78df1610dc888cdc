"""Dependencies specific to the exams service."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from fastapi import Depends, Request

from certboard_core.context import RequestContext, request_context
from exams.policy import ExamPolicy


def get_policy(request: Request) -> ExamPolicy:
    policy: ExamPolicy = request.app.state.policy
    return policy


PolicyDep = Annotated[ExamPolicy, Depends(get_policy)]


# -- the request context (attempts; other aggregates share it) -----------------------------
ActionContext: TypeAlias = RequestContext[ExamPolicy]
Context = Annotated[ActionContext, Depends(request_context)]
