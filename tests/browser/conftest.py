"""Browser fixtures: Playwright driving Debian's chromium (``serve`` is in tests/conftest.py).

A test's ``page`` is a new page in the worker's one browser context, not a context of its own: each
new context starts new renderer processes (about half a second of processor time each), while the
pages of one context share them. Tests stay apart because each serves its site on a port of its own
(``serve``): storage belongs to an origin, and the page's origins are cleared when the test ends. A
test that changes the context itself (offline, routes) makes its own context.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Frame, Page
from static_server import serving

from icbt_content import build_site

FIXTURES = Path(__file__).parent.parent / "fixtures"


@dataclass
class SharedContext:
    """The worker's browser context, and a DevTools session of its page that stays open."""

    context: BrowserContext
    devtools: CDPSession


@pytest.fixture(scope="session")
def shared_context(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedContext]:
    """The context of the browser tests, with a page of 127.0.0.1 kept open so that its
    renderer process stays for the pages of every test."""
    context = browser.new_context(accept_downloads=True)
    keeper = tmp_path_factory.mktemp("keeper")
    (keeper / "index.html").write_text("<!doctype html><title>keeper</title>", encoding="utf-8")
    with serving() as serve:
        kept = context.new_page()
        kept.goto(serve(keeper))
        yield SharedContext(context, context.new_cdp_session(kept))
    context.close()


@pytest.fixture
def page(shared_context: SharedContext) -> Iterator[Page]:
    """A new page in the shared context; what it stored on its origins is cleared after."""
    page = shared_context.context.new_page()
    origins: set[str] = set()

    def seen(frame: Frame) -> None:
        if frame.url.startswith("http"):
            origins.add("/".join(frame.url.split("/", 3)[:3]))

    page.on("framenavigated", seen)
    yield page
    if not page.is_closed():
        page.close()
    for origin in sorted(origins):
        shared_context.devtools.send(
            "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
        )


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture's site, built once per module for the tests that only read it (serve it
    per test: a new port is a new origin, so no answers saved by another test)."""
    project = tmp_path_factory.mktemp("basic") / "project"
    shutil.copytree(FIXTURES / "projects" / "basic", project)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return project / "site"
