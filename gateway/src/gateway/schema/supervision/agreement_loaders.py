"""Peers' supervision agreements and agreements' sessions, read in batches: one backend call
for a request's peers, one for its agreements."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.supervision import (
    AGREEMENTS_PEERS_PER_CALL,
    SESSIONS_AGREEMENTS_PER_CALL,
    SupervisionClient,
)


def peer_agreements(client: SupervisionClient) -> DataLoader[str, list[dict[str, Any]]]:
    """Agreements (the service's JSON) by peer applicant id, oldest first; a peer without any
    the caller may read has none."""

    async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
        by_peer: dict[str, list[dict[str, Any]]] = {k: [] for k in keys}
        for agreement in await client.agreements_of_peers(list(by_peer)):
            by_peer[agreement["peer_applicant_id"]].append(agreement)
        return [by_peer[k] for k in keys]

    return DataLoader(load_fn=load, max_batch_size=AGREEMENTS_PEERS_PER_CALL)


def agreement_sessions(client: SupervisionClient) -> DataLoader[str, list[dict[str, Any]]]:
    """Current sessions (the service's JSON) by agreement id, by start time; an agreement the
    caller may not see has none."""

    async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
        by_agreement: dict[str, list[dict[str, Any]]] = {k: [] for k in keys}
        for session in await client.sessions_of_agreements(list(by_agreement)):
            by_agreement[session["agreement_id"]].append(session)
        return [by_agreement[k] for k in keys]

    return DataLoader(load_fn=load, max_batch_size=SESSIONS_AGREEMENTS_PER_CALL)
