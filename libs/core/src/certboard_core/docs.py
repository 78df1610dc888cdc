"""Each process's API documentation (Swagger UI at ``/docs``) from files the process serves
itself: Swagger UI 5.35.0 from its npm package ``swagger-ui-dist``, with its licences, in
``static/swagger-ui/``. FastAPI's own pages load it from a CDN, so on a network without one
they stay blank; these load anywhere, under a Content-Security-Policy of the process's own
origin."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "static" / "swagger-ui"
ASSETS_PATH = "/docs-assets"
# Swagger UI styles from script (CSSOM, which 'self' allows) and draws icons from data: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)
PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>{title}</title>
    <link rel="stylesheet" href="{assets}/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui" data-openapi-url="{openapi}"></div>
    <script src="{assets}/swagger-ui-bundle.js"></script>
    <script src="{assets}/start.js"></script>
  </body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` for ``app``'s OpenAPI (create the app with ``docs_url=None`` and
    ``redoc_url=None``: those pages would load from a CDN)."""
    page = PAGE.format(
        title=escape(f"{app.title}: API"),
        assets=ASSETS_PATH,
        openapi=escape(app.openapi_url or "/openapi.json"),
    )
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """The API documentation, Swagger UI."""
        return HTMLResponse(
            page,
            headers={
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
            },
        )
