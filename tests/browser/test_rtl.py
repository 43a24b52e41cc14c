"""Translated sites in a real browser: right-to-left layout, and no axe violations in any locale."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from icbt_content import build_site

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).parent.parent / "fixtures" / "i18n" / "project"
LOCALES = ("en-GB", "fr", "ar")
PAGES = (
    "",
    "start/",
    "start/welcome/",
    "start/reflect/",
    "practice/try-it/",
    "crisis/",
    "answers/",
)


@pytest.fixture(scope="module")
def i18n_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(PROJECT, project)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    return project / "site"


@pytest.fixture
def site_url(i18n_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(i18n_site)


def _desktop(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def _centre_x(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["x"] + box["width"] / 2


def test_arabic_pages_are_right_to_left(page: Page, site_url: str) -> None:
    page.goto(site_url + "demo/ar/start/welcome/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    heading = page.locator("main h1")
    assert heading.evaluate("el => getComputedStyle(el).textAlign") in ("start", "right")


def test_module_navigation_is_mirrored_at_desktop_width(browser: Browser, site_url: str) -> None:
    english, arabic = _desktop(browser), _desktop(browser)
    english.goto(site_url + "demo/en-GB/start/welcome/")
    arabic.goto(site_url + "demo/ar/start/welcome/")
    # English: content on the left, modules on the right. Arabic: the mirror image.
    assert _centre_x(english, "nav.modules") > _centre_x(english, "main")
    assert _centre_x(arabic, "nav.modules") < _centre_x(arabic, "main")
    # The pager's "next" link points the reading way.
    assert _centre_x(arabic, ".pager .next") < 640
    english.context.close()
    arabic.context.close()


def test_fallback_page_is_left_to_right_with_an_arabic_notice(page: Page, site_url: str) -> None:
    page.goto(site_url + "demo/ar/practice/try-it/")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    notice = page.locator("p.notice span[lang=ar]")
    assert notice.get_attribute("dir") == "rtl"
    assert notice.evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_anchors_work_across_languages(page: Page, site_url: str) -> None:
    page.goto(site_url + "demo/ar/start/welcome/#how-it-works")
    assert page.locator("#how-it-works").inner_text() == "كيف يعمل"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations_in_any_locale(
    page: Page, site_url: str, locale: str, path: str
) -> None:
    page.goto(f"{site_url}demo/{locale}/{path}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


REAL_PAGES = (
    "sad/{locale}/",
    "sad/{locale}/introduction/welcome/",
    "sad/{locale}/your-model/self-focus/",
    "sad/{locale}/crisis/",
    "sad/{locale}/video-feedback/how-you-think-you-look/",
)


@pytest.mark.parametrize("locale", ["en-GB", "zh-Hant-HK", "ar"])
@pytest.mark.parametrize("path", REAL_PAGES)
def test_sample_programme_locales_pass_axe(
    page: Page, sample_site: Path, serve: Callable[[Path], str], locale: str, path: str
) -> None:
    page.goto(serve(sample_site) + path.format(locale=locale))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_sample_arabic_site_is_mirrored(
    browser: Browser, sample_site: Path, serve: Callable[[Path], str]
) -> None:
    arabic = _desktop(browser)
    arabic.goto(serve(sample_site) + "sad/ar/introduction/welcome/")
    assert arabic.evaluate("document.documentElement.dir") == "rtl"
    assert _centre_x(arabic, "nav.modules") < _centre_x(arabic, "main")
    arabic.context.close()
