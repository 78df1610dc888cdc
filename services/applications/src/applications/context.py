"""The applications service's request context: the shared one, under this service's policy."""

from __future__ import annotations

from typing import TypeAlias

from applications.policy import ApplicationPolicy
from certboard_core.context import RequestContext

ActionContext: TypeAlias = RequestContext[ApplicationPolicy]
