"""GraphiQL in development, served whole by the gateway: its scripts and styles are files in
``static/graphiql/`` (GraphiQL 3.8.3 and React 18.2.0 from their npm packages, with their
licences), so the page loads on a network without a CDN, under a Content-Security-Policy that
allows the gateway's own origin alone. Production serves no IDE."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql-assets"
# GraphiQL's editor sets its styles from script (CSSOM, which 'self' allows) and draws icons
# from data: URLs; nothing else is needed from anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)


@cache
def _html() -> str:
    return (ASSETS / "index.html").read_text()


def ide_page() -> HTMLResponse:
    """The GraphiQL page, with its policy."""
    return HTMLResponse(
        _html(),
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )


def mount_ide_assets(app: FastAPI) -> None:
    """Serve GraphiQL's files under ``ASSETS_PATH``."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="graphiql-assets")
