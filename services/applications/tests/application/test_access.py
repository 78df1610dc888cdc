from __future__ import annotations

import httpx

from certboard_core.testing.plugin import bearer

from ..factories import JPEG, application_form, documents


async def _submit(client: httpx.AsyncClient, token: str, **form: str) -> dict:
    response = await client.post(
        "/v1/applications", data=application_form(**form), files=documents(), headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_other_applicant_cannot_see_it(client: httpx.AsyncClient, mint) -> None:
    mine = await _submit(client, mint("applicant", "alice"))
    bob = mint("applicant", "bob")
    response = await client.get(f"/v1/applications/{mine['id']}", headers=bearer(bob))
    # Not 403: a stranger is not told the application exists.
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    listed = await client.get("/v1/applications", headers=bearer(bob))
    assert listed.json() == {"items": [], "next_cursor": None}
    document = mine["documents"][0]["id"]
    download = await client.get(
        f"/v1/applications/{mine['id']}/documents/{document}", headers=bearer(bob)
    )
    assert download.status_code == 404


async def test_owner_and_staff_download_documents(client: httpx.AsyncClient, mint) -> None:
    alice = mint("applicant", "alice")
    mine = await _submit(client, alice)
    government_id = next(d for d in mine["documents"] if d["kind"] == "government_id")
    for token in (alice, mint("staff", "sam")):
        response = await client.get(
            f"/v1/applications/{mine['id']}/documents/{government_id['id']}",
            headers=bearer(token),
        )
        assert response.status_code == 200
        assert response.content == JPEG
        assert response.headers["content-type"] == "image/jpeg"


async def test_staff_page_through_everything_oldest_first(
    client: httpx.AsyncClient, clock, mint
) -> None:
    from datetime import timedelta

    ids = []
    for n in range(5):
        ids.append((await _submit(client, mint("applicant", f"a{n}")))["id"])
        clock.advance(timedelta(hours=1))
    staff = mint("staff", "sam")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"after": cursor} if cursor else {})}
        page = (await client.get("/v1/applications", params=params, headers=bearer(staff))).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


async def test_garbage_cursor_is_a_clear_error(client: httpx.AsyncClient, mint) -> None:
    response = await client.get(
        "/v1/applications", params={"after": "!!nope"}, headers=bearer(mint("staff", "sam"))
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "after"


async def test_provider_cannot_list(client: httpx.AsyncClient, mint) -> None:
    response = await client.get("/v1/applications", headers=bearer(mint("provider", "p1")))
    assert response.status_code == 403
