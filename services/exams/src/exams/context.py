"""The exams service's request context: the shared one, under this service's policy."""

from __future__ import annotations

from typing import TypeAlias

from certboard_core.context import RequestContext
from exams.policy import ExamPolicy

ActionContext: TypeAlias = RequestContext[ExamPolicy]
