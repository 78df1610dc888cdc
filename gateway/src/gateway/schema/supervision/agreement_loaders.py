"""Peers' supervision agreements and agreements' sessions, read in batches: one backend call
for a request's peers, one for its agreements; and a party's whole supervision in one call."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.supervision import (
    AGREEMENTS_PEERS_PER_CALL,
    SESSIONS_AGREEMENTS_PER_CALL,
    SupervisionClient,
)

Rows = list[dict[str, Any]]
# The weeks a compliance report covers; (None, None): the service's default, this quarter.
Period = tuple[datetime.date | None, datetime.date | None]
DEFAULT_PERIOD: Period = (None, None)


def _grouped(
    fetch: Callable[[Sequence[str]], Awaitable[Rows]], by: str, per_call: int
) -> DataLoader[str, Rows]:
    """Rows (the service's JSON, in its order) by the value of their ``by`` field; a key with
    none the caller may see has none."""

    async def load(keys: list[str]) -> list[Rows]:
        grouped: dict[str, Rows] = {k: [] for k in keys}
        for row in await fetch(list(grouped)):
            grouped[row[by]].append(row)
        return [grouped[k] for k in keys]

    return DataLoader(load_fn=load, max_batch_size=per_call)


def peer_agreements(client: SupervisionClient) -> DataLoader[str, Rows]:
    """Agreements by peer applicant id, oldest first."""
    return _grouped(client.agreements_of_peers, "peer_applicant_id", AGREEMENTS_PEERS_PER_CALL)


def agreement_sessions(client: SupervisionClient) -> DataLoader[str, Rows]:
    """Current sessions by agreement id, by start time."""
    return _grouped(client.sessions_of_agreements, "agreement_id", SESSIONS_AGREEMENTS_PER_CALL)


def overviews(
    client: SupervisionClient, sessions: DataLoader[str, Rows]
) -> DataLoader[Period, dict[str, Any]]:
    """The caller's supervision overview by compliance period; each read also answers the
    ``sessions`` of the agreements it holds, so they cost no second call."""

    async def load(periods: list[Period]) -> list[dict[str, Any] | BaseException]:
        found: list[dict[str, Any] | BaseException] = []
        for first, last in periods:
            try:
                overview = await client.overview(first_day=first, last_day=last)
            except Exception as exc:
                found.append(exc)
                continue
            by_agreement: dict[str, Rows] = {a["id"]: [] for a in overview["agreements"]}
            for row in overview["sessions"]:
                by_agreement[row["agreement_id"]].append(row)
            sessions.prime_many(by_agreement)
            found.append(overview)
        return found

    return DataLoader(load_fn=load)
