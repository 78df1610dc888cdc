"""What every domain of the schema shares: the context type, scalars from JSON, arguments."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

from gateway.clients.base import FilePart
from gateway.context import GatewayContext
from gateway.errors import CodedError

Ctx = Info[GatewayContext, None]

First = Annotated[int, strawberry.argument(description="The page size.")]
After = Annotated[
    str | None, strawberry.argument(description="`nextCursor` from the previous page.")
]
ExpectedVersion = Annotated[
    int,
    strawberry.argument(
        description="The `version` you read; a stale one is refused with VERSION_CONFLICT."
    ),
]


def day(value: str) -> datetime.date:
    """A ``Date`` from the services' ISO day."""
    return datetime.date.fromisoformat(value)


def maybe_day(value: str | None) -> datetime.date | None:
    """A ``Date``, or null."""
    return None if value is None else day(value)


def instant(value: str) -> datetime.datetime:
    """A ``DateTime`` from the services' ISO 8601 instant."""
    return datetime.datetime.fromisoformat(value)


def maybe_instant(value: str | None) -> datetime.datetime | None:
    """A ``DateTime``, or null."""
    return None if value is None else instant(value)


def maybe_id(value: str | None) -> strawberry.ID | None:
    """An ``ID``, or null."""
    return None if value is None else strawberry.ID(value)


def value_of(choice: Enum | None) -> str | None:
    """The REST value of an optional enum argument (GraphQL enum values are the REST values)."""
    return None if choice is None else str(choice.value)


async def file_part(upload: Upload, name: str) -> FilePart:
    """An upload as the client sends it on: a file part of the multipart request, or a
    BAD_USER_INPUT on ``name``."""
    # The Upload scalar takes any value: a JSON string, or a multipart map naming a text part.
    if not isinstance(upload, UploadFile):
        raise CodedError(
            "BAD_USER_INPUT",
            f"{name} must be a file part of a multipart request",
            field=name,
            status=400,
        )
    content = await upload.read()
    return upload.filename or name, content, upload.content_type or "application/octet-stream"
