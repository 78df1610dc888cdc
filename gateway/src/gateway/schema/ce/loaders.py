"""CE records of certifications, read in batches: one backend call for a request's ids."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.applications import ApplicationsClient
from gateway.clients.ce import CE_RECORDS_PER_CALL

Rows = list[dict[str, Any]]


def ce_records(client: ApplicationsClient) -> DataLoader[str, Rows]:
    """CE records (the service's JSON) by certification id, by completion day. The gateway
    asks only about certifications the caller has already read, so one absent from the answer
    simply has no records yet."""

    async def load(keys: list[str]) -> list[Rows]:
        # Two spellings of one id (upper and lower case) are one certification, asked once.
        wanted = {key: uuid.UUID(key) for key in keys}
        grouped: dict[uuid.UUID, Rows] = {ident: [] for ident in wanted.values()}
        for row in await client.ce_records_of([str(i) for i in grouped]):
            grouped[uuid.UUID(row["certification_id"])].append(row)
        return [grouped[wanted[key]] for key in keys]

    return DataLoader(load_fn=load, max_batch_size=CE_RECORDS_PER_CALL)
