"""The developer pages load from their own process alone: tried as a new user would on a
network without a CDN (every other host refused), GraphiQL on the development gateway draws
its editor and runs a query, and a service's API documentation lists its operations, each
logging no error under a Content-Security-Policy of its own origin."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser

from certboard_core.testing.plugin import DatabaseFactory
from tests.e2e.conftest import running_system

from .conftest import guarded_page, serving


async def test_graphiql_is_served_whole_by_the_gateway(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path, browser: Browser
) -> None:
    async with (
        running_system(database_factory, dev_data_dir, tmp_path / "documents") as system,
        serving(system.gateway) as url,
        guarded_page(browser, url, system) as live,
    ):
        page = live.page
        answer = await page.goto(f"{url}/graphql")
        assert answer is not None
        assert answer.status == 200
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        editor = page.locator(".graphiql-query-editor .CodeMirror")
        await editor.wait_for()
        await editor.click()
        await page.keyboard.press("Control+A")
        await page.keyboard.type("{ __typename }")
        await page.locator(".graphiql-execute-button").click()
        await page.locator(".graphiql-response").get_by_text('"Query"').wait_for()
        assert await page.get_by_text("Loading...").count() == 0
        await live.shot("graphiql")
    assert live.foreign == [], f"requests to another host: {live.foreign}"
    assert live.errors == [], f"errors in the page: {live.errors}"


async def test_a_services_api_documentation_is_served_whole_by_the_service(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path, browser: Browser
) -> None:
    async with (
        running_system(database_factory, dev_data_dir, tmp_path / "documents") as system,
        serving(system.services["applications"]) as url,
        guarded_page(browser, url, system) as live,
    ):
        answer = await live.page.goto(f"{url}/docs")
        assert answer is not None
        assert answer.status == 200
        assert "script-src 'self';" in answer.headers["content-security-policy"]
        await live.page.get_by_text("/v1/verification/{number}").first.wait_for()
        await live.shot("applications-docs")
    assert live.foreign == [], f"requests to another host: {live.foreign}"
    assert live.errors == [], f"errors in the page: {live.errors}"
