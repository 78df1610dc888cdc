"""GraphQL types that belong to no one service."""

from __future__ import annotations

import strawberry


@strawberry.type
class Viewer:
    subject: str
    roles: list[str]
