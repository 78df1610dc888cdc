"""Exam summaries of applications, read in batches: one backend call for a request's ids."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.exam_authorizations import SUMMARIES_PER_CALL
from gateway.clients.exams import ExamsClient


def exam_summaries(client: ExamsClient) -> DataLoader[str, dict[str, Any]]:
    """Summaries (the service's JSON) by application id. The gateway asks only about
    applications the caller has already read, so one absent from the answer simply has no
    authorization yet: it is answered as 0 used, the limit left."""

    async def load(keys: list[str]) -> list[dict[str, Any]]:
        wanted = list(dict.fromkeys(uuid.UUID(k) for k in keys))
        answer = await client.exam_summaries(wanted)
        found = {uuid.UUID(s["application_id"]): s for s in answer["items"]}
        limit = answer["attempts_limit"]

        def empty(key: str) -> dict[str, Any]:
            return {
                "application_id": key,
                "attempts_used": 0,
                "attempts_left": limit,
                "attempts_limit": limit,
                "authorizations": [],
            }

        return [found.get(uuid.UUID(k)) or empty(k) for k in keys]

    return DataLoader(load_fn=load, max_batch_size=SUMMARIES_PER_CALL)
