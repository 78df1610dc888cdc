"""Builders for test input: a valid application form and documents, varied per test."""

from __future__ import annotations

from typing import Any

# The smallest byte strings that sniff as the accepted types.
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def application_form(**overrides: Any) -> dict[str, str]:
    form: dict[str, Any] = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "date_of_birth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "code_of_ethics_agreed": "true",
        "lived_experience": "consumer",
        "willing_to_share_experience": "true",
    }
    form.update(overrides)
    return {k: str(v) for k, v in form.items() if v is not None}


def documents(
    government_id: bytes = JPEG, diploma: bytes = PDF, *, id_name: str = "id.jpg"
) -> dict[str, tuple[str, bytes, str]]:
    return {
        "government_id": (id_name, government_id, "image/jpeg"),
        "diploma": ("diploma.pdf", diploma, "application/pdf"),
    }


async def submit(client: Any, token: str, **form: Any) -> dict[str, Any]:
    """Submit a valid application as the token's applicant; return its status view."""
    response = await client.post(
        "/v1/applications",
        data=application_form(**form),
        files=documents(),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def act(
    client: Any, application: dict[str, Any], action: str, token: str, **body: Any
) -> Any:
    """POST an action with the version last read; return the raw response."""
    body.setdefault("expected_version", application["version"])
    return await client.post(
        f"/v1/applications/{application['id']}/{action}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


async def pay(client: Any, application: dict[str, Any], token: str, reference: str = "r-1") -> Any:
    return await client.post(
        f"/v1/applications/{application['id']}/payments",
        json={
            "kind": "application",
            "amount_cents": 0,
            "reference": reference,
            "paid_at": "2026-03-10T17:00:00Z",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
