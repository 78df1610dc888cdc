"""Who reads which certificates and providers (decided once, in each repository), a provider's
listing with its filters, and whose an idempotency key is."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from applications.certificate.repository import CertificateRepository
from applications.provider.repository import ProviderRepository
from certboard_core.auth import Principal, Role
from certboard_core.testing.plugin import bearer

from .conftest import Provider, make_provider, row, upload


def _principal(*roles: Role, **claims: Any) -> Principal:
    return Principal(subject="someone", roles=frozenset(roles), claims=claims, token="")


async def _certificate_ids(app, principal: Principal) -> set[str]:
    async with app.state.sessions() as session:
        rows = await session.exec(CertificateRepository(session).readable(principal))
        return {c.provider_certificate_id for c in rows.all()}


async def _provider_names(app, principal: Principal) -> list[str]:
    async with app.state.sessions() as session:
        return [p.name for p in await ProviderRepository(session).readable_all(principal)]


async def test_each_caller_reads_only_what_is_theirs(client, app, provider, mint) -> None:
    other = await make_provider(client, mint, "Other Academy")
    await upload(client, provider, [row(provider, certificate_id="MINE")])
    await upload(client, other, [row(other, certificate_id="THEIRS")])

    staff = _principal(Role.STAFF)
    mine = _principal(Role.PROVIDER, provider_id=provider.id)
    assert await _certificate_ids(app, staff) == {"MINE", "THEIRS"}
    assert await _certificate_ids(app, mine) == {"MINE"}
    assert await _provider_names(app, staff) == ["Other Academy", "Recovery Training Institute"]
    assert await _provider_names(app, mine) == ["Recovery Training Institute"]
    nobody = [
        _principal(Role.APPLICANT),
        _principal(Role.APPLICANT, provider_id=provider.id),  # the claim without the role
        _principal(Role.PROVIDER),  # the role without a provider
        _principal(Role.PROVIDER, provider_id="not-a-uuid"),
    ]
    for principal in nobody:
        assert await _certificate_ids(app, principal) == set(), principal
        assert await _provider_names(app, principal) == [], principal

    async with app.state.sessions() as session:
        theirs = ProviderRepository(session)
        assert await theirs.readable_one(mine, uuid.UUID(other.id)) is None
        assert await theirs.readable_one(staff, uuid.UUID(other.id)) is not None


async def test_the_listing_filters_by_status_and_local_day(client, clock, provider, mint) -> None:
    staff = mint("staff", "sam")
    await upload(client, provider, [row(provider, certificate_id="MORNING")])
    # 03:00 UTC on 11 March is still the evening of 10 March on the board's clock.
    clock.advance(timedelta(hours=10))
    await upload(client, provider, [row(provider, certificate_id="EVENING")])
    clock.advance(timedelta(days=1))
    await upload(client, provider, [row(provider, certificate_id="NEXT-DAY")])

    async def listed(**params: Any) -> list[str]:
        response = await client.get(
            f"/v1/providers/{provider.id}/certificates",
            params=params,
            headers=bearer(provider.token),
        )
        assert response.status_code == 200, response.text
        return [c["provider_certificate_id"] for c in response.json()["items"]]

    assert await listed(received_from="2026-03-10", received_to="2026-03-10") == [
        "MORNING",
        "EVENING",
    ]
    assert await listed(received_from="2026-03-11") == ["NEXT-DAY"]
    assert await listed(received_to="2026-03-09") == []

    [evening] = [
        c
        for c in (
            await client.get(
                f"/v1/providers/{provider.id}/certificates", headers=bearer(provider.token)
            )
        ).json()["items"]
        if c["provider_certificate_id"] == "EVENING"
    ]
    accepted = await client.post(
        f"/v1/certificates/{evening['id']}/accept",
        json={"expected_version": evening["version"]},
        headers=bearer(staff),
    )
    assert accepted.status_code == 200, accepted.text
    assert await listed(status="accepted") == ["EVENING"]
    assert await listed(status="pending_review") == ["MORNING", "NEXT-DAY"]

    walked, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 1, **({"after": cursor} if cursor else {})}
        page = (
            await client.get(
                f"/v1/providers/{provider.id}/certificates",
                params=params,
                headers=bearer(provider.token),
            )
        ).json()
        walked += [c["provider_certificate_id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == ["MORNING", "EVENING", "NEXT-DAY"]
    forged = await client.get(
        f"/v1/providers/{provider.id}/certificates",
        params={"after": "bm90LWEtY3Vyc29y"},
        headers=bearer(provider.token),
    )
    assert (forged.status_code, forged.json()["error"]["field"]) == (422, "after")


async def test_only_a_provider_uploads_its_certificates(client, app, provider, mint) -> None:
    staff = await client.post(
        f"/v1/providers/{provider.id}/certificates",
        json={"certificates": [row(provider)]},
        headers=bearer(mint("staff", "sam")),
    )
    assert (staff.status_code, staff.json()["error"]["code"]) == (403, "FORBIDDEN")


async def test_a_key_belongs_to_the_provider_that_sent_it(client, provider, mint) -> None:
    rival: Provider = await make_provider(client, mint, "Rival Academy")
    rows = [row(provider, certificate_id="K1")]
    first = await upload(client, provider, rows, key="batch-1")
    assert first.json()["batch"]["accepted"] == 1
    # The same key and body on the first provider's path: not its answer, and no existence.
    borrowed = await client.post(
        f"/v1/providers/{provider.id}/certificates",
        json={"certificates": rows},
        headers={**bearer(rival.token), "Idempotency-Key": "batch-1"},
    )
    assert borrowed.status_code == 404
    assert "Idempotent-Replayed" not in borrowed.headers
    own = await upload(client, rival, [row(rival, certificate_id="K1")], key="batch-1")
    assert own.status_code == 200
    assert own.json()["batch"]["accepted"] == 1


async def test_a_stale_provider_update_is_a_version_conflict(client, provider, mint) -> None:
    staff = bearer(mint("staff", "sam"))
    path = f"/v1/providers/{provider.id}"
    first = await client.patch(
        path, json={"expected_version": provider.version, "status": "suspended"}, headers=staff
    )
    assert first.json()["version"] == provider.version + 1
    stale = await client.patch(
        path, json={"expected_version": provider.version, "status": "active"}, headers=staff
    )
    assert stale.status_code == 409
    assert (stale.json()["error"]["code"], stale.json()["error"]["field"]) == (
        "VERSION_CONFLICT",
        "expected_version",
    )
