"""Fixtures for the browser tests: a live server, headless Chromium, a page per test.

Every test here skips, with a message saying how to enable it, when Debian's Chromium or
the Playwright package is missing. We never download Playwright's own browser builds: the
tests drive the system Chromium through ``executable_path``.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from .artifacts import artifact_path
from .server import LiveServer, start_live_server

CHROMIUM = "/usr/bin/chromium"
# The flags that work on our machines and in CI (root, no GPU, no network but loopback).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ENABLE_HINT = "install Debian's chromium package (apt-get install chromium) to run the browser tests"


def unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found: {ENABLE_HINT}"
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("axe_playwright_python") is None:
        return "playwright or axe-playwright-python is not installed: run .venv/bin/pip install -e '.[test]'"
    return None


def pytest_collection_modifyitems(config, items):
    reason = unavailable_reason()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, registry) -> LiveServer:
    server = start_live_server(tmp_path_factory.mktemp("e2e"), registry)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def _tab(browser, live_server):
    # One tab for the whole run: a new context per test costs more than the test itself.
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(_tab, live_server, request):
    """The browser tab, logged out and blank; a screenshot is kept when the test ends.

    The app keeps its session in cookies, and clearing them gives each test a fresh start.
    The one other thing it keeps in the browser is a written answer not sent yet (play.js,
    in the tab's sessionStorage, under its attempt's address and step). Attempt ids start
    again whenever a test empties the database, so each test's drafts are cleared when it
    ends: one test's draft must never fill another's answer box.
    """
    _tab.context.clear_cookies()
    _tab.set_viewport_size(VIEWPORT)  # a test may have narrowed it
    _tab.goto("about:blank")
    yield _tab
    # The visible part only: a full-page shot of a long page takes seconds.
    _tab.screenshot(path=str(artifact_path(request.node.name)))
    if _tab.url.startswith(live_server.url):
        _tab.evaluate("() => window.sessionStorage.clear()")


@pytest.fixture
def snap(page, request):
    """Keep a screenshot of a step of the test: ``snap("debrief")``."""
    def _snap(label: str) -> None:
        page.screenshot(path=str(artifact_path(f"{request.node.name}-{label}")), full_page=True)
    return _snap
