"""Peers' supervision agreements, read in batches: one backend call for a request's peers."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from gateway.clients.supervision import AGREEMENTS_PEERS_PER_CALL, SupervisionClient


def peer_agreements(client: SupervisionClient) -> DataLoader[str, list[dict[str, Any]]]:
    """Agreements (the service's JSON) by peer applicant id, oldest first; a peer without any
    the caller may read has none."""

    async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
        by_peer: dict[str, list[dict[str, Any]]] = {k: [] for k in keys}
        for agreement in await client.agreements_of_peers(list(by_peer)):
            by_peer[agreement["peer_applicant_id"]].append(agreement)
        return [by_peer[k] for k in keys]

    return DataLoader(load_fn=load, max_batch_size=AGREEMENTS_PEERS_PER_CALL)
