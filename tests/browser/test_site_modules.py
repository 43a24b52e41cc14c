"""The scripts in a real browser: modules without globals, wording only from the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

WELCOME = "demo/en-GB/start/welcome/index.html"
SCRIPT_TAG = '<script type="module" src="../../../../assets/icbt.js"></script>'


@pytest.fixture
def site(basic_project: Path) -> Path:
    assert build_site(basic_project, basic_project / "site").ok
    return basic_project / "site"


def _globals(page: Page) -> set[str]:
    return set(page.evaluate("Object.getOwnPropertyNames(window)"))


def test_the_scripts_set_no_globals(page: Page, site: Path, serve: Callable[[Path], str]) -> None:
    html = (site / WELCOME).read_text(encoding="utf-8")
    assert SCRIPT_TAG in html
    (site / "demo/en-GB/start/welcome/bare.html").write_text(html.replace(SCRIPT_TAG, ""))
    base = serve(site)
    page.goto(base + WELCOME.removesuffix("index.html") + "bare.html")
    without = _globals(page)
    page.goto(base + WELCOME.removesuffix("index.html"))
    page.get_by_label("How low do you feel right now?").fill("42")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
        "Saved on this device."
    )
    assert _globals(page) - without == set()


def test_the_words_shown_come_from_the_page(
    page: Page, site: Path, serve: Callable[[Path], str]
) -> None:
    path = site / WELCOME
    html = path.read_text(encoding="utf-8")
    english = '"saved": "Saved on this device."'
    assert english in html
    path.write_text(html.replace(english, '"saved": "Kept here: {nothing} to fill."'))
    page.goto(serve(site) + WELCOME.removesuffix("index.html"))
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
        "Kept here: {nothing} to fill."
    )
