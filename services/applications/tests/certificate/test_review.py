"""Matching certificates to applications, staff review, and providers' webhooks."""

from __future__ import annotations

import json
from datetime import timedelta

from applications.provider.webhooks import verify
from certboard_core.testing.plugin import bearer

from ..factories import submit
from .conftest import row, upload


async def _review(client, certificate: dict, action: str, staff: str, **body) -> dict:
    body.setdefault("expected_version", certificate["version"])
    response = await client.post(
        f"/v1/certificates/{certificate['id']}/{action}", json=body, headers=bearer(staff)
    )
    return {**response.json(), "http": response.status_code}


async def _listed(client, provider) -> list[dict]:
    page = (
        await client.get(
            f"/v1/providers/{provider.id}/certificates", headers=bearer(provider.token)
        )
    ).json()
    items: list[dict] = page["items"]
    return items


async def test_a_certificate_before_the_application_is_held_then_linked(
    client, provider, mint
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    await upload(client, provider, [row(provider)])
    [held] = await _listed(client, provider)
    assert held["application_id"] is None
    unmatched = (await client.get("/v1/certificates/unmatched", headers=bearer(staff))).json()
    assert [c["id"] for c in unmatched["items"]] == [held["id"]]

    application = await submit(client, alice, email="MARIA.LOPEZ@example.org")
    assert [c["id"] for c in application["training_certificates"]] == [held["id"]]
    [linked] = await _listed(client, provider)
    assert linked["application_id"] == application["id"]
    assert linked["applicant_id"] == "alice"


async def test_a_certificate_after_the_application_matches_at_once(client, provider, mint) -> None:
    application = await submit(client, mint("applicant", "alice"))
    other_person = row(provider, certificate_id="X", date_of_birth="1991-01-01")
    by_id = row(provider, certificate_id="Y", email="someone@else.org", applicant_id="alice")
    await upload(client, provider, [row(provider), other_person, by_id])
    linked = {
        c["provider_certificate_id"]: c["application_id"] for c in await _listed(client, provider)
    }
    assert linked == {"C-1": application["id"], "X": None, "Y": application["id"]}


async def test_staff_link_by_hand(client, provider, mint) -> None:
    staff = mint("staff", "sam")
    application = await submit(client, mint("applicant", "alice"), email="other@example.org")
    await upload(client, provider, [row(provider)])
    [certificate] = await _listed(client, provider)
    linked = await _review(client, certificate, "link", staff, application_id=application["id"])
    assert linked["http"] == 200
    assert linked["application_id"] == application["id"]


async def test_accept_reject_and_the_applicant_sees_it(client, provider, mint, receiver) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await upload(client, provider, [row(provider), row(provider, certificate_id="C-2")])
    listed = {c["provider_certificate_id"]: c for c in await _listed(client, provider)}
    first, second = listed["C-1"], listed["C-2"]
    accepted = await _review(client, first, "accept", staff)
    assert accepted["http"] == 200
    assert accepted["reviewed_at"] is not None
    no_reason = await _review(client, second, "reject", staff)
    assert no_reason["http"] == 422
    rejected = await _review(client, second, "reject", staff, reason="Hours do not match records")
    assert rejected["review_reason"] == "Hours do not match records"
    again = await _review(
        client, {**first, "version": accepted["version"]}, "reject", staff, reason="changed mind"
    )
    assert again["http"] == 409
    assert again["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert again["error"]["field"] == "status"
    assert "accepted" in again["error"]["message"]

    view = (await client.get(f"/v1/applications/{application['id']}", headers=bearer(alice))).json()
    assert {c["provider_certificate_id"]: c["status"] for c in view["training_certificates"]} == {
        "C-1": "accepted",
        "C-2": "rejected",
    }


async def test_an_expired_certificate_cannot_be_accepted(client, clock, provider, mint) -> None:
    staff = mint("staff", "sam")
    await upload(client, provider, [row(provider)])  # completed 20 Feb 2026
    [certificate] = await _listed(client, provider)
    clock.advance(timedelta(days=711))  # 19 Feb 2028: the last valid day
    clock.advance(timedelta(days=1))
    refused = await _review(client, certificate, "accept", staff)
    assert refused["http"] == 409
    assert refused["error"]["code"] == "CERTIFICATE_EXPIRED"


async def test_review_queue_and_breaches(client, clock, provider, mint) -> None:
    staff = mint("staff", "sam")
    await upload(client, provider, [row(provider, certificate_id="early")])
    clock.advance(timedelta(days=3))
    await upload(client, provider, [row(provider, certificate_id="late")])
    queue = (await client.get("/v1/certificates/review-queue", headers=bearer(staff))).json()
    assert [c["provider_certificate_id"] for c in queue["items"]] == ["early", "late"]
    clock.advance(timedelta(days=12))  # day 15 for the first, day 12 for the second
    summary = (await client.get("/v1/certificates/summary", headers=bearer(staff))).json()
    assert summary == {
        "pending_review": 2,
        "breaches": 1,
        "unmatched": 2,
        "next_review_due_on": queue["items"][0]["review_due_on"],
    }
    late = (
        await client.get(
            "/v1/certificates/review-queue", params={"breaches_only": True}, headers=bearer(staff)
        )
    ).json()
    assert [c["provider_certificate_id"] for c in late["items"]] == ["early"]


async def test_decisions_reach_the_provider_webhook_signed(
    client, app, provider, mint, receiver
) -> None:
    staff = mint("staff", "sam")
    hooked = await client.patch(
        f"/v1/providers/{provider.id}",
        json={"expected_version": provider.version, "webhook_url": "http://127.0.0.1:9/hooks"},
        headers=bearer(staff),
    )
    assert hooked.status_code == 200, hooked.text
    await upload(client, provider, [row(provider)])
    [certificate] = await _listed(client, provider)
    await _review(client, certificate, "accept", staff)
    assert await app.state.dispatcher.dispatch_once() >= 1
    [call] = [c for c in receiver.calls if c.url.path == "/hooks"]
    assert verify(
        provider.secret,
        call.content,
        call.headers["X-Certboard-Signature"],
        now=int(call.headers["X-Certboard-Signature"].split(",")[0][2:]),
    )
    payload = json.loads(call.content)
    assert payload["type"] == "certificate.accepted"
    assert payload["data"]["provider_certificate_id"] == "C-1"


async def test_webhook_urls_must_be_public_https(client, provider, mint) -> None:
    staff = bearer(mint("staff", "sam"))
    for url in (
        "http://93.184.216.34/hook",
        "https://169.254.169.254/latest",
        "https://10.0.0.8/hook",
    ):
        refused = await client.patch(
            f"/v1/providers/{provider.id}",
            json={"expected_version": provider.version, "webhook_url": url},
            headers=staff,
        )
        assert refused.status_code == 422, url
        assert refused.json()["error"]["field"] == "webhook_url"


async def test_the_unmatched_queue_s_last_days(client, clock, provider, mint) -> None:
    staff = mint("staff", "sam")
    application = await submit(client, mint("applicant", "alice"), email="other@example.org")
    await upload(client, provider, [row(provider)])
    [certificate] = await _listed(client, provider)
    clock.advance(timedelta(days=2))
    await _review(client, certificate, "link", staff, application_id=application["id"])
    history = (
        await client.get("/v1/queues/history", params={"days": 3}, headers=bearer(staff))
    ).json()["days"]
    # Received on the window's first day and linked by hand on its last: unmatched at the end
    # of each day but the last.
    assert [(d["unmatched"], d["certificates"]) for d in history] == [(1, 1), (1, 1), (0, 1)]
