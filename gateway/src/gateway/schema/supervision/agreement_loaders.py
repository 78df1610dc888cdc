"""Peers' supervision agreements and agreements' sessions, read in batches: one backend call
for a request's peers, one for its agreements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.supervision import (
    AGREEMENTS_PEERS_PER_CALL,
    SESSIONS_AGREEMENTS_PER_CALL,
    SupervisionClient,
)

Rows = list[dict[str, Any]]


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
