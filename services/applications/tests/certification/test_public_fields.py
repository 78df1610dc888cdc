"""The public's answers hold the public fields and nothing else: every field of every public
response is read, and one not on the list fails, as does any private value of the holder
(domain.md: never the date of birth, contact data, attestations, diagnosis, recovery history
or scores)."""

from __future__ import annotations

from typing import Any

from ..discipline.test_discipline import decide, file, queue
from .conftest import read
from .test_verification import certified

VERIFICATION = {
    "holder_name",
    "number",
    "status",
    "issued_on",
    "valid_through",
    "discipline",
    "discipline[].outcome",
    "discipline[].decided_on",
    "discipline[].ends_on",
    "discipline[].in_force",
    "credential_url",
}
PAGE = {"items", "next_cursor"} | {f"items[].{field}" for field in VERIFICATION}
# The credential's subject: the number and the achievement, nothing of the person.
SUBJECT = {
    "type",
    "identifier",
    "identifier[].type",
    "identifier[].identityType",
    "identifier[].hashed",
    "identifier[].identityHash",
    "achievement",
    "achievement.id",
    "achievement.type",
    "achievement.achievementType",
    "achievement.name",
    "achievement.description",
    "achievement.criteria",
    "achievement.criteria.narrative",
}
RECEIPT = {"reference", "received_at"}


def fields(value: Any, at: str = "") -> set[str]:
    """Every field path in a JSON value (a list's items as ``name[]``)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{at}.{key}" if at else key
            found |= {path} | fields(inner, path)
    elif isinstance(value, list):
        for item in value:
            found |= fields(item, f"{at}[]")
    return found


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for inner in value.values() for leaf in leaves(inner)]
    if isinstance(value, list):
        return [leaf for inner in value for leaf in leaves(inner)]
    return [value]


def private_values(view: dict[str, Any]) -> list[str]:
    """What the application holds that the public must never see."""
    return [
        "1990-05-17",  # date of birth
        "maria.lopez@example.org",
        "consumer",  # lived experience: recovery history
        view["applicant_id"],
        view["id"],
        view["certification"]["id"],
        view["certification"]["application_id"],
    ]


def assert_public(answer: Any, allowed: set[str], private: list[str]) -> None:
    extra = fields(answer) - allowed
    assert not extra, f"fields the public must not see: {sorted(extra)}"
    for leaf in leaves(answer):
        # No number but booleans: scores and counts are never public.
        assert isinstance(leaf, str | bool) or leaf is None, leaf
        for secret in private:
            assert secret not in str(leaf), (secret, leaf)


async def test_every_public_field_and_no_other(client, mint) -> None:
    number = await certified(client, mint)
    staff = mint("staff", "sam")
    complaint = await file(client, number)
    assert_public(complaint.json(), RECEIPT, [])
    decided = await decide(
        client,
        staff,
        (await queue(client, staff))["items"][0],
        "probation",
        ends_on="2026-12-31",
        conditions="Monthly meetings with a supervisor about a diagnosis.",
    )
    assert decided.status_code == 200, decided.text
    application = (
        await client.get("/v1/applications", headers={"Authorization": f"Bearer {staff}"})
    ).json()["items"][0]
    view = await read(client, application, staff)
    private = [*private_values(view), "diagnosis", "Breach of confidentiality"]

    by_number = (await client.get(f"/v1/verification/{number}")).json()
    assert fields(by_number) == VERIFICATION  # every field there, the discipline's too
    assert_public(by_number, VERIFICATION, private)
    page = (
        await client.get("/v1/verification", params={"last_name": "Lopez", "first_name": "M"})
    ).json()
    assert page["items"] == [by_number]
    assert_public(page, PAGE, private)
    credential = (await client.get(f"/v1/verification/{number}/credential")).json()
    subject = credential["payload"]["credentialSubject"]
    assert_public(subject, SUBJECT, private)
    for secret in private:
        assert secret not in str(credential["payload"])
