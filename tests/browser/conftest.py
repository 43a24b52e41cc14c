"""Browser fixtures: Playwright driving Debian's chromium (``serve`` is in tests/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from icbt_content import build_site

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture's site, built once per module for the tests that only read it (serve it
    per test: a new port is a new origin, so no answers saved by another test)."""
    project = tmp_path_factory.mktemp("basic") / "project"
    shutil.copytree(FIXTURES / "projects" / "basic", project)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return project / "site"
