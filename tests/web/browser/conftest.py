"""Browser tests: Debian's Chromium driven by Playwright against the console served by uvicorn
in this process, over the whole system wired in-process (services and gateway over ASGI).

One process and one event loop: the system starts in well under a second and the tests drive
its clock and outbox directly (as ``tests/e2e`` does); only the console needs a real port,
since a browser speaks HTTP. Every request the browser makes to another host is refused and
fails the test, and so does any message the page logs as an error (a CSP violation is one).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, Page, Route, async_playwright
from starlette.types import ASGIApp

from certboard_core.testing.plugin import DatabaseFactory
from tests.e2e.conftest import System, running_system

from ..conftest import console_app

CHROMIUM = Path(os.environ.get("CERTBOARD_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[3] / "web" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The ports this suite may serve on; the first free one is held from bind to shutdown, so two
# workers never race for it. CERTBOARD_BROWSER_PORTS ("18300-18399") gives another range, for
# runs beside others on one machine.
_FIRST, _, _LAST = os.environ.get("CERTBOARD_BROWSER_PORTS", "18250-18299").partition("-")
PORTS = range(int(_FIRST), int(_LAST) + 1)
ANSWERED = "Failed to load resource: the server responded with a status of"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; missing, the browser tests skip locally and fail in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if in_ci():
            pytest.fail(f"{message}: CI runs the browser tests", pytrace=False)
        pytest.skip(message)
    return CHROMIUM


def held_port() -> socket.socket:
    for port in PORTS:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        return sock
    raise RuntimeError(f"no free port in {PORTS}")


@dataclass
class Live:
    """The console served on a real port, the system beneath it, and a guarded browser page."""

    url: str
    system: System
    page: Page
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def shot(self, name: str) -> Path:
        """A full-page screenshot in web/screenshots/ (gitignored), for a reviewer to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path

    async def axe(self) -> list[dict[str, object]]:
        """axe-core's WCAG 2.1 A and AA violations on the page as it stands.

        Evaluated through the DevTools protocol, which the page's CSP does not govern: axe is
        a test tool, never served by the console."""
        await self.page.evaluate(AXE.read_text())
        violations: list[dict[str, object]] = await self.page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
                 nodes: v.nodes.map(n => n.target.join(' '))})))"""
        )
        return violations


@contextlib.asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """``app`` served by uvicorn on a free port of this suite's, in this event loop."""
    sock = held_port()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            await launched.close()


@contextlib.asynccontextmanager
async def guarded_page(
    browser: Browser, url: str, system: System, also: tuple[str, ...] = ()
) -> AsyncIterator[Live]:
    """A page of a fresh browser context that may reach ``url`` alone (and the origins in
    ``also``: an identity provider), and records what else it asked for and every error it
    logged."""
    context = await browser.new_context(locale="en-US", java_script_enabled=True)
    page = await context.new_page()
    # A bound, not a wait: a page that answers returns at once. Generous, because the suite
    # runs the browser beside other workers' process tests on a 2-core machine, where a click's
    # round trip through the console, the gateway and a service took over 5 s at worst.
    page.set_default_timeout(20_000)
    made = Live(url=url, system=system, page=page)
    allowed = (url, *also)

    async def guard(route: Route) -> None:
        if any(route.request.url.startswith(o + "/") or route.request.url == o for o in allowed):
            await route.continue_()
        else:
            made.foreign.append(route.request.url)
            await route.abort("blockedbyclient")

    await context.route("**/*", guard)
    # An answer's status is each test's to assert (a 403 is expected where a form is
    # forged); any other error, a CSP violation first of all, is a failure.
    page.on(
        "console",
        lambda m: (
            made.errors.append(m.text)
            if m.type == "error" and not m.text.startswith(ANSWERED)
            else None
        ),
    )
    page.on("pageerror", lambda e: made.errors.append(str(e)))
    try:
        yield made
    finally:
        await context.close()


@pytest.fixture
async def live(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path, browser: Browser
) -> AsyncIterator[Live]:
    async with (
        running_system(database_factory, dev_data_dir, tmp_path / "documents") as system,
        serving(console_app(system, dev_data_dir)) as url,
        guarded_page(browser, url, system) as made,
    ):
        yield made


@pytest.fixture
def no_foreign_requests(live: Live) -> Iterator[Live]:
    """``live``, failing the test if the page asked another host for anything or logged an
    error (a CSP violation among them)."""
    yield live
    assert live.foreign == [], f"requests to another host: {live.foreign}"
    assert live.errors == [], f"errors in the page: {live.errors}"
