"""Who the caller is."""

from __future__ import annotations

import strawberry

from gateway.schema.common import Ctx
from gateway.schema.operations.types import Viewer


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="Who the bearer token says you are; null when anonymous.")
    def viewer(self, info: Ctx) -> Viewer | None:
        principal = info.context.principal
        if principal is None:
            return None
        return Viewer(subject=principal.subject, roles=sorted(r.value for r in principal.roles))
