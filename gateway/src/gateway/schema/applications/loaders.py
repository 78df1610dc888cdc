"""Status views of applications, read in batches: one backend call for a request's ids."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.applications import VIEWS_PER_CALL, ApplicationsClient, application_id
from gateway.errors import CodedError


def _not_found() -> CodedError:
    return CodedError("NOT_FOUND", "no such application", field="id", status=404)


def application_views(client: ApplicationsClient) -> DataLoader[str, dict[str, Any]]:
    """Status views by id; each batch is one read, an id the caller may not see NOT_FOUND."""

    async def load(keys: list[str]) -> list[dict[str, Any] | BaseException]:
        ids: dict[str, uuid.UUID | CodedError] = {}
        for key in keys:
            try:
                ids[key] = application_id(key)
            except CodedError as exc:
                ids[key] = exc
        # Two spellings of one id (upper and lower case) are one application, asked once.
        wanted = list(dict.fromkeys(i for i in ids.values() if isinstance(i, uuid.UUID)))
        views = await client.read_application_views(wanted) if wanted else []
        found = {uuid.UUID(view["id"]): view for view in views}

        def answer(parsed: uuid.UUID | CodedError) -> dict[str, Any] | BaseException:
            if isinstance(parsed, CodedError):
                return parsed
            # Absent from the answer: not there, or not the caller's to see.
            return found.get(parsed) or _not_found()

        return [answer(ids[key]) for key in keys]

    return DataLoader(load_fn=load, max_batch_size=VIEWS_PER_CALL)


def audit_trails(client: ApplicationsClient) -> DataLoader[str, list[dict[str, Any]]]:
    """Audit events (the service's JSON) by application id. Asked only of applications the
    caller has already read, so one absent from the answer simply has no events."""

    async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
        wanted = {key: uuid.UUID(key) for key in keys}
        grouped: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in wanted.values()}
        for event in await client.audit_trails(list(grouped)):
            grouped[uuid.UUID(event["entity_id"])].append(event)
        return [grouped[wanted[key]] for key in keys]

    return DataLoader(load_fn=load, max_batch_size=VIEWS_PER_CALL)
