"""CE records by certification: one read per batch of ids, each answered in the order asked."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any, cast

from gateway.clients.applications import ApplicationsClient
from gateway.clients.ce import CE_RECORDS_PER_CALL
from gateway.schema.ce.loaders import ce_records


class LedgerStub:
    """Answers the batch read from a fixed ledger, remembering what each call asked."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.asked: list[list[str]] = []

    async def ce_records_of(self, certification_ids: Sequence[str]) -> list[dict[str, Any]]:
        self.asked.append(list(certification_ids))
        return [r for r in self.rows if r["certification_id"] in certification_ids]


def _row(certification: uuid.UUID, title: str) -> dict[str, Any]:
    return {"certification_id": str(certification), "course_title": title}


async def test_each_certification_gets_its_own_records_from_one_read() -> None:
    first, second, empty = (uuid.UUID(int=n) for n in (1, 2, 3))
    stub = LedgerStub([_row(first, "Ethics"), _row(second, "Boundaries"), _row(first, "Law")])
    loader = ce_records(cast(ApplicationsClient, stub))
    # Upper case is the same certification: asked once, answered for both spellings.
    answers = await asyncio.gather(
        loader.load(str(second)),
        loader.load(str(first)),
        loader.load(str(empty)),
        loader.load(str(first).upper()),
    )
    titles = [[r["course_title"] for r in rows] for rows in answers]
    assert titles == [["Boundaries"], ["Ethics", "Law"], [], ["Ethics", "Law"]]
    assert stub.asked == [[str(second), str(first), str(empty)]]


async def test_more_certifications_than_one_read_holds_take_one_read_per_batch() -> None:
    ids = [uuid.UUID(int=n) for n in range(1, CE_RECORDS_PER_CALL + 2)]
    stub = LedgerStub([_row(i, f"course {i.int}") for i in ids])
    loader = ce_records(cast(ApplicationsClient, stub))
    answers = await loader.load_many([str(i) for i in ids])
    assert [rows[0]["course_title"] for rows in answers] == [f"course {i.int}" for i in ids]
    assert [len(asked) for asked in stub.asked] == [CE_RECORDS_PER_CALL, 1]
