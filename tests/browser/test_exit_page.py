"""'Exit this page' on a sensitive programme: the button and Shift three times leave at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

NEUTRAL = "https://weather.example.org/today"


def _build(project: Path, serve: Callable[[Path], str], settings: str) -> str:
    manifest = project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text() + settings)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return serve(project / "site") + "demo/en-GB/"


@pytest.fixture
def site(basic_project: Path, serve: Callable[[Path], str], page: Page) -> str:
    # The neutral site is answered here: the test never reaches the internet.
    page.route(
        NEUTRAL,
        lambda route: route.fulfill(
            content_type="text/html", body="<!doctype html><title>Weather</title><p>Sunny"
        ),
    )
    return _build(basic_project, serve, f"sensitive: true\nexit_url: {NEUTRAL}\n")


def test_the_button_leaves_and_replaces_the_page_in_history(page: Page, site: str) -> None:
    page.goto(site)
    page.goto(site + "start/welcome/")
    page.get_by_role("link", name="Emergency Exit this page").click()
    expect(page).to_have_url(NEUTRAL)
    # Back goes to the page before, not to the one the client left.
    page.go_back()
    expect(page).to_have_url(site)


def test_shift_three_times_leaves(page: Page, site: str) -> None:
    page.goto(site + "start/welcome/")
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)


def test_shift_with_other_keys_between_does_not_leave(page: Page, site: str) -> None:
    page.goto(site + "start/welcome/")
    page.get_by_label("Something else").click()
    # Typing capitals presses Shift too, but with letters between: the client stays.
    page.keyboard.press("Shift")
    page.keyboard.type("I A")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    expect(page).to_have_url(site + "start/welcome/")


def test_every_page_offers_it_and_passes_axe(page: Page, site: str) -> None:
    for path in ("", "start/", "start/welcome/", "crisis/", "answers/"):
        page.goto(site + path)
        expect(page.get_by_role("link", name="Emergency Exit this page")).to_have_attribute(
            "href", NEUTRAL
        )
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


def test_neutral_titles_name_no_topic(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    site = _build(basic_project, serve, "sensitive: true\nneutral_titles: true\n")
    page.route("https://www.bbc.co.uk/**", lambda route: route.abort())
    for path in ("", "start/welcome/", "crisis/"):
        page.goto(site + path)
        expect(page).to_have_title("Online course")
    expect(page.get_by_role("link", name="Emergency Exit this page")).to_have_attribute(
        "href", "https://www.bbc.co.uk/weather"
    )


def test_a_programme_not_marked_sensitive_has_no_exit(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    site = _build(basic_project, serve, "")
    page.goto(site + "start/welcome/")
    expect(page.locator("[data-icbt-exit]")).to_have_count(0)
    expect(page).to_have_title("Welcome – Demo programme")
