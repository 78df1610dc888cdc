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
