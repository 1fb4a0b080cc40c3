"""The browser tests' harness: Debian's Chromium, driven by Playwright, against a real server.

Playwright's async API runs in the test's own event loop, beside the uvicorn server of
`tests.live.serve`, so a test drives the browser and the server in one loop, one step after
another, and waits on page conditions (`expect`), never on time. The loop and the browser
live for a whole test module (Chromium starts once per module); each test gets a fresh
server with a provisioned meeting `m1` and fresh browser contexts (one per device).

Chromium is never downloaded: `scripts/test` installs Debian's package when it is missing
and it can (root with apt-get). Without it the browser tests skip with a message, except
with `CI=true`, where they fail.

Every page's console errors and uncaught exceptions are collected; each test asserts that
there were none. Screenshots (at tablet size) go to pytest's temporary folder (`screens0`
under `pytest-of-$USER/pytest-N/`) and, when `MEETING_SCREENSHOTS=DIR` is set, also to DIR
(`docs/screenshots` keeps the ones the README shows).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from meeting.cli.provision import record_attendance
from tests.databases import in_ci
from tests.live import PASSWORD, Live, provision, serve, settings_for

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, WebSocketRoute

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 1280, "height": 800}
"""The size of a landscape 10-inch tablet in CSS pixels, for every page and screenshot."""
TIMEOUT_MS = 10_000
"""Longest wait for any page condition; a passing run waits milliseconds."""


def require_chromium() -> None:
    """Skip (or, in CI, fail) when Playwright or Debian's Chromium is missing."""
    problem = None
    try:
        import playwright  # noqa: F401
    except ImportError:
        problem = "Playwright for Python is not installed (pip install -e '.[dev]')"
    if problem is None and not CHROMIUM.exists():
        problem = (
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
            "(scripts/test does it when it runs as root)"
        )
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"CI=true and the browser tests cannot run: {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="session")
def screens_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screens")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def browser() -> AsyncIterator[Browser]:
    require_chromium()
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=TIMEOUT_MS)
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@dataclass
class Devices:
    """Browser contexts (one per device) on one live server, and what their pages logged."""

    browser: Browser
    server: Live
    screens: Path
    errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.server.base

    async def open(self, path: str, *, websockets: bool = True, **context: Any) -> Page:
        """A new device (browser context) showing `path`; `websockets=False` puts it behind
        a proxy that refuses every WebSocket (each one is closed as soon as it opens)."""
        ctx = await self.browser.new_context(viewport=TABLET, **context)
        ctx.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(ctx)
        if not websockets:
            await ctx.route_web_socket(re.compile(r"/ws/"), _refuse)
        page = await ctx.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: uncaught {exc}"))
        await page.goto(self.base + path)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.location.get('url')}: {message.text}")

    async def signed_in(self, app: str, user: str, *, websockets: bool = True) -> Page:
        """A device showing `app`, signed in as `user`, connected to the meeting."""
        from playwright.async_api import expect

        # Long-polls wait 1 s, so that the server's shutdown never waits for one.
        query = "" if websockets else "?wait=1"
        page = await self.open(f"/app/{app}/{query}", websockets=websockets)
        await sign_in(page, user)
        status = "live" if websockets else "polling"
        await expect(page.locator(".conn")).to_have_attribute("data-status", status)
        return page

    async def roll_call(self, *absent: str) -> None:
        """The roll call of meeting `m1`: every delegate but `absent` recorded present (a
        vote opens only with quorum), as the clerk records it before the sitting."""
        engine = next(e for e in self.server.services.engines.loaded() if e.meeting_id == "m1")
        present = [m.user_id for m in engine.state.delegates if m.user_id not in absent]
        await record_attendance(engine, dict.fromkeys(present, "present"))

    async def screenshot(self, page: Page, name: str) -> Path:
        path = self.screens / f"{name}.png"
        await page.screenshot(path=path, animations="disabled")
        _keep(path)
        return path

    def assert_no_console_errors(self, *expected: str) -> None:
        """No page logged an error, but those matching an `expected` pattern: the browser's
        own line for a refusal the test provoked (Chromium logs every 4xx answer)."""
        left = [e for e in self.errors if not any(re.search(p, e) for p in expected)]
        assert left == [], "console errors:\n" + "\n".join(left)


def _keep(shot: Path) -> None:
    keep = os.environ.get("MEETING_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / shot.name)


SMALL_TARGETS = """() => [...document.querySelectorAll(`button, a[href], summary, select, textarea,
    input:not([type=checkbox]):not([type=file]), label.check`)]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, box]) => box.height < 47.5 || box.width < 47.5)
  .map(([html, box]) => `${Math.round(box.width)}x${Math.round(box.height)} ${html}`)"""


async def assert_touch_targets(page: Page) -> None:
    """Everything a finger may tap on the page is at least 48 × 48 CSS pixels."""
    small = await page.evaluate(SMALL_TARGETS)
    assert small == [], "touch targets under 48 px:\n" + "\n".join(small)


async def _refuse(ws: WebSocketRoute) -> None:
    await ws.close(code=1011, reason="WebSockets are blocked here")


async def sign_in(page: Page, user: str, password: str = PASSWORD) -> None:
    """Sign in with a username and password (on the delegate tablet, whose first form is the
    pairing code's, by the way it offers beside it)."""
    first = page.locator("#signin-username, #pair-code").first
    await first.wait_for()
    if await first.get_attribute("id") == "pair-code":
        await page.click("[data-action=use-password]")
    await page.fill("#signin-username", user)
    await page.fill("#signin-password", password)
    await page.click(".signin button[type=submit]")


@pytest_asyncio.fixture(loop_scope="module")
async def devices(browser: Browser, tmp_path: Path, screens_dir: Path) -> AsyncIterator[Devices]:
    """A live server with meeting `m1` (chair, clerk, obs, d01…d03) and a device factory."""
    async with serve(settings_for(tmp_path)) as server:
        await provision(server)
        found = Devices(browser, server, screens_dir)
        try:
            yield found
        finally:
            for ctx in found.contexts:
                await ctx.close()
