"""The programme home shows where to continue and how far the client is; the language links keep
the client on the same page; the site index has the service's header and crisis link (issue 13),
on the sample site in Debian chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sample_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(sample_site)


def test_home_continues_where_the_client_left_off(page: Page, site: str) -> None:
    page.goto(site + "sad/en-GB/")
    box = page.locator("[data-icbt-continue]")
    expect(box.get_by_role("heading")).to_have_text("Continue where you left off")
    link = box.locator("[data-icbt-continue-link]")
    expect(link).to_have_text("Welcome")  # a new client starts at the first page
    expect(box.locator("[data-icbt-pages-read]")).to_have_text("Pages read: 0 of 33")

    for path in ("introduction/welcome/", "introduction/what-is-social-anxiety/", "your-model/"):
        page.goto(site + "sad/en-GB/" + path)
    page.goto(site + "sad/en-GB/attention-training/practising/")
    title = page.locator("h1").inner_text()
    page.goto(site + "sad/en-GB/")
    expect(link).to_have_text(title)
    expect(box.locator("[data-icbt-pages-read]")).to_have_text("Pages read: 3 of 33")
    expect(box.locator("progress")).to_have_js_property("value", 3)
    link.click()
    expect(page).to_have_url(site + "sad/en-GB/attention-training/practising/")


def test_home_progress_is_in_the_pages_language(page: Page, site: str) -> None:
    page.goto(site + "sad/zh-Hant-HK/introduction/welcome/")
    page.goto(site + "sad/zh-Hant-HK/")
    box = page.locator("[data-icbt-continue]")
    expect(box.get_by_role("heading")).to_have_text("從上次停下的地方繼續")
    expect(box.locator("[data-icbt-pages-read]")).to_have_text("已閱讀頁數：1／33")


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("sad/en-GB/your-model/", "العربية", "sad/ar/your-model/"),
        (
            "sad/ar/attention-training/practising/",
            "English (UK)",
            "sad/en-GB/attention-training/practising/",
        ),
        ("sad/en-GB/check-in/", "繁體中文（香港）", "sad/zh-Hant-HK/check-in/"),
        ("sad/en-GB/crisis/", "العربية", "sad/ar/crisis/"),
        ("sad/en-GB/answers/", "繁體中文（香港）", "sad/zh-Hant-HK/answers/"),
        ("sad/en-GB/therapist/", "العربية", "sad/ar/therapist/"),
        ("ptsd/zh-Hant-HK/", "English (UK)", "ptsd/en-GB/"),
    ],
)
def test_switching_language_keeps_the_page(
    page: Page, site: str, path: str, language: str, expected: str
) -> None:
    page.goto(site + path)
    nav = page.locator("nav.languages")
    nav.locator("a", has_text=language).first.click()
    expect(page).to_have_url(site + expected)


def test_the_site_index_has_the_header_and_crisis_link(page: Page, site: str) -> None:
    page.goto(site)
    header = page.locator("header.site-header")
    expect(header).to_be_visible()
    help_now = header.get_by_role("link", name="Need help now?")
    help_now.click()
    expect(page).to_have_url(site + "ptsd/en-GB/crisis/")
