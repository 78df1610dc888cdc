"""Staff read an application's documents in the browser: relayed by the gateway with their
token, only JPEG and PDF, inline and sandboxed; nobody else gets them through the console."""

from __future__ import annotations

import re

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import JPEG, PDF

from .conftest import Console
from .test_pages import text_of
from .test_staff import submitted


async def test_staff_open_documents_inline_and_sandboxed(console: Console, mint: Minter) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    page = await console.client.get(path)
    assert "Open a file to read it in the browser; photos also show here." in text_of(page.text)
    links = dict(
        re.findall(
            r'<a href="(/staff/applications/[^"]+/documents/[^"]+)"[^>]*>([^<]+)</a>', page.text
        )
    )
    by_name = {name: href for href, name in links.items()}
    assert set(by_name) == {"id.jpg", "diploma.pdf"}
    # The photo also shows on the page, with words for those who cannot see it.
    assert (
        f'<img src="{by_name["id.jpg"]}" alt="Government-issued photo ID, Version 1"' in page.text
    )

    photo = await console.client.get(by_name["id.jpg"])
    assert (photo.status_code, photo.content) == (200, JPEG)
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["content-disposition"].startswith("inline;")
    assert photo.headers["content-security-policy"].startswith("sandbox; default-src 'none'")
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["cache-control"] == "private, no-store"
    diploma = await console.client.get(by_name["diploma.pdf"])
    assert (diploma.status_code, diploma.content) == (200, PDF)
    assert diploma.headers["content-type"] == "application/pdf"
    # Pages keep the console's own policy.
    assert "sandbox" not in page.headers["content-security-policy"]

    unknown = f"{path}/documents/00000000-0000-0000-0000-000000000000"
    assert (await console.client.get(unknown)).status_code == 404
    await console.sign_in("applicant", "alice")
    refused = await console.client.get(by_name["id.jpg"])
    assert refused.status_code == 403
    assert refused.content != JPEG
