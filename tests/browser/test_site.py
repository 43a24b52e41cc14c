"""The built site in a real browser: answers persist, round-trip, and pages pass axe."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(basic_site: Path, serve: Callable[[Path], str]) -> str:
    """The basic site on a server of its own (a new origin: no answers saved by another test)."""
    return serve(basic_site)


def _welcome(site_url: str) -> str:
    return site_url + "demo/en-GB/start/welcome/"


def test_answers_survive_a_reload(page: Page, site_url: str) -> None:
    page.goto(_welcome(site_url))
    page.get_by_label("How low do you feel right now?").fill("42")
    page.get_by_label("I sleep more").check()
    page.get_by_label("Something else").fill("I call my sister")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
        "Saved on this device."
    )
    page.reload()
    expect(page.get_by_label("How low do you feel right now?")).to_have_value("42")
    expect(page.get_by_label("I sleep more")).to_be_checked()
    expect(page.get_by_label("I stay in")).not_to_be_checked()
    expect(page.get_by_label("Something else")).to_have_value("I call my sister")
    stored = page.evaluate("localStorage.getItem('icbt/v1/demo/exercise/mood-now')")
    assert json.loads(stored)["fields"]["rating"] == "42"


def test_out_of_range_rating_shows_error_text(page: Page, site_url: str) -> None:
    page.goto(_welcome(site_url))
    field = page.get_by_label("How low do you feel right now?")
    field.fill("140")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    error = page.locator("#f-mood-now-rating-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("Enter a whole number from 0 to 100.")
    expect(field).to_have_attribute("aria-invalid", "true")
    # The error summary at the top of the form takes the focus and links to the field.
    summary = page.locator("form[data-exercise='mood-now'] [data-icbt-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter a whole number from 0 to 100.").click()
    expect(field).to_be_focused()


def test_a_corrected_rating_saves_with_one_click(page: Page, site_url: str) -> None:
    # The error of a field the client has just corrected goes as they type, not when the field
    # loses focus: clearing it on the way to Save would move the button from under the pointer.
    page.goto(_welcome(site_url))
    field = page.get_by_label("How low do you feel right now?")
    field.fill("140")
    save = page.locator("form[data-exercise='mood-now'] button[type=submit]")
    save.click()
    expect(page.locator("#f-mood-now-rating-error")).to_be_visible()
    field.fill("40")
    # At once, with no wait: the page has settled before the pointer moves.
    assert page.locator("#f-mood-now-rating-error").is_hidden()
    assert field.get_attribute("aria-invalid") == "false"
    save.click()
    expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
        "Saved on this device."
    )


def test_export_delete_import_round_trip(page: Page, site_url: str, tmp_path: Path) -> None:
    page.goto(_welcome(site_url))
    page.get_by_label("How low do you feel right now?").fill("55")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    page.goto(site_url + "demo/en-GB/answers/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export my answers").click()
    exported = tmp_path / "answers.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["format"] == "icbt-answers"
    assert data["items"]["icbt/v1/demo/exercise/mood-now"]["fields"]["rating"] == "55"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete all my answers").click()
    expect(page.locator("#answers-status")).to_have_text(
        "Your answers to Demo programme were deleted from this device."
    )
    assert page.evaluate("localStorage.length") == 0

    page.get_by_label("Choose a file you exported before").set_input_files(str(exported))
    expect(page.locator("#answers-status")).to_contain_text("Loaded")
    page.goto(_welcome(site_url))
    expect(page.get_by_label("How low do you feel right now?")).to_have_value("55")


def test_migrations_move_saved_answers_to_renamed_ids(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    # A client saved answers under the old ids...
    manifest = basic_project / "programmes/demo/programme.yaml"
    page_file = basic_project / "programmes/demo/modules/start/02-reflect.md"
    page_file.write_text(
        page_file.read_text()
        .replace("id: week-review", "id: weekly-review")
        .replace("id: was-hard", "id: was-difficult")
    )
    manifest.write_text(
        manifest.read_text() + "migrations:\n  - exercise: week-review\n    to: weekly-review\n"
        "    fields: {was-hard: was-difficult}\n"
    )
    assert build_site(basic_project, basic_project / "site").ok
    url = serve(basic_project / "site") + "demo/en-GB/start/reflect/"
    page.goto(url)
    page.evaluate(
        """localStorage.setItem('icbt/v1/demo/exercise/week-review', JSON.stringify(
             {version: 1, fields: {'went-well': 'a walk', 'was-hard': 'Monday'}}))"""
    )
    page.reload()
    expect(page.get_by_label("What went well?")).to_have_value("a walk")
    expect(page.get_by_label("What was hard?")).to_have_value("Monday")
    assert page.evaluate("localStorage.getItem('icbt/v1/demo/exercise/week-review')") is None


def test_no_request_leaves_the_site(page: Page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(_welcome(site_url))
    page.wait_for_load_state("networkidle")
    assert requested
    assert all(url.startswith(site_url) for url in requested), requested


PAGES = [
    "index.html",
    "demo/en-GB/",
    "demo/en-GB/start/",
    "demo/en-GB/start/welcome/",
    "demo/en-GB/practice/try-it/",
    "demo/en-GB/crisis/",
    "demo/en-GB/answers/",
    "demo/en-GB/therapist/",
    "demo/en-GB/therapist/start/",
]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(page: Page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_mobile_layout_keeps_help_visible(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(_welcome(site_url))
    help_link = page.get_by_role("link", name="Need help now?").first
    expect(help_link).to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    context.close()


def _basic_with_core_modules(project: Path, unlock: str) -> None:
    manifest = project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text().replace("unlock: in-order", f"unlock: {unlock}"))
    module = project / "programmes/demo/modules/practice/module.md"
    module.write_text(module.read_text().replace("core: false", "core: true"))


def test_in_order_modules_open_after_the_previous_one_is_read(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    _basic_with_core_modules(basic_project, "in-order")
    assert build_site(basic_project, basic_project / "site").ok
    base = serve(basic_project / "site") + "demo/en-GB/"
    page.goto(base + "practice/try-it/")
    notice = page.locator("#locked-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This module opens when you have finished Getting started.")
    expect(page.locator('li[data-module="practice"]')).to_have_class("module current locked")
    expect(page.locator('li[data-module="practice"] .locked-tag')).to_have_text("not open yet")
    page.goto(base + "start/welcome/")
    page.goto(base + "start/reflect/")
    page.goto(base + "practice/try-it/")
    expect(page.locator("#locked-notice")).to_be_hidden()


def test_by_therapist_modules_open_when_the_client_confirms(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    _basic_with_core_modules(basic_project, "by-therapist")
    assert build_site(basic_project, basic_project / "site").ok
    base = serve(basic_project / "site") + "demo/en-GB/"
    page.goto(base + "practice/try-it/")
    expect(page.locator("#locked-notice")).to_be_visible()
    page.get_by_role("button", name="Yes, my therapist has opened it").click()
    expect(page.locator("#locked-notice")).to_be_hidden()
    expect(page.locator('li[data-module="practice"] .locked-tag')).to_have_count(0)
    page.reload()
    expect(page.locator("#locked-notice")).to_be_hidden()


def test_narrative_hot_spot_taken_from_selected_words(page: Page, site_url: str) -> None:
    page.goto(site_url + "demo/en-GB/practice/try-it/")
    account = page.get_by_label("My account")
    account.fill("I was on the bus. Then the brakes screamed and I was sure I would die.")
    page.evaluate(
        """() => { const a = document.getElementById('f-my-story-account');
                   const start = a.value.indexOf('the brakes');
                   a.setSelectionRange(start, a.value.length); }"""
    )
    page.locator("form[data-exercise='my-story'] .mark-hotspot button").first.click()
    passage = page.locator("#f-my-story-hotspot-1-passage")
    expect(passage).to_have_value("the brakes screamed and I was sure I would die.")
    expect(passage).to_be_focused()
    page.reload()
    expect(page.locator("#f-my-story-hotspot-1-passage")).to_have_value(
        "the brakes screamed and I was sure I would die."
    )
