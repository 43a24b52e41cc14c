"""Text in another language than the page's, in a real browser: its language and direction."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site
from icbt_content.i18n.catalog import load_po, save_po

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent.parent


def _language_and_direction(page: Page, selector: str) -> list[str]:
    return page.locator(selector).first.evaluate(
        "e => [e.closest('[lang]').lang, getComputedStyle(e).direction]"
    )


def test_english_notes_on_an_arabic_page_read_left_to_right(
    page: Page, sample_site: Path, serve: Callable[[Path], str]
) -> None:
    page.goto(serve(sample_site) + "sad/ar/therapist/attention-training/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert _language_and_direction(page, "#what-this-module-is-for") == ["en-GB", "ltr"]
    # The guide's own headings around the notes are Arabic, right to left.
    assert _language_and_direction(page, "#notes") == ["ar", "rtl"]
    # An example message not translated into Arabic is English, left to right.
    assert _language_and_direction(page, ".guide-message .callout p:not(.callout-title)") == [
        "en-GB",
        "ltr",
    ]
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_untranslated_interface_word_is_marked_english(
    page: Page, sample_site: Path, serve: Callable[[Path], str]
) -> None:
    page.goto(serve(sample_site) + "sad/ar/therapist/")
    overview = page.get_by_role("link", name="Overview")
    assert overview.locator("span").evaluate("e => [e.lang, getComputedStyle(e).direction]") == [
        "en",
        "ltr",
    ]


FIXTURE = REPO / "tests" / "fixtures" / "i18n" / "project"


@pytest.fixture(scope="module")
def partly_french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's French: the scripts' "Saved on this device." untranslated, their
    "Please check the answers marked above." translated."""
    project = tmp_path_factory.mktemp("partly") / "project"
    shutil.copytree(FIXTURE, project)
    po = project / "locales/fr/interface.po"
    catalog, problems = load_po(po, po.name)
    assert catalog is not None and not problems
    for entry in catalog.entries:
        if entry.msgid == "Saved on this device.":
            entry.msgstr = ""
        elif entry.msgid == "Please check the answers marked above.":
            entry.msgstr = "Vérifiez les réponses signalées ci-dessus."
    save_po(catalog, po)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    return project / "site"


def test_a_script_message_not_yet_translated_is_marked_english(
    page: Page, partly_french: Path, serve: Callable[[Path], str]
) -> None:
    page.goto(serve(partly_french) + "demo/fr/start/welcome/")
    form = page.locator("form[data-exercise='mood-now']")
    status = form.locator(".save-status")
    form.locator("input").first.fill("42")
    form.locator("button[type=submit]").click()
    expect(status).to_have_text("Saved on this device.")
    assert status.evaluate("e => [e.lang, e.closest('html').lang]") == ["en", "fr"]
    # A translated message in the same place is French again: the mark goes with the English.
    form.locator("input").first.fill("1000")
    form.locator("button[type=submit]").click()
    expect(status).to_have_text("Vérifiez les réponses signalées ci-dessus.")
    assert status.evaluate("e => e.closest('[lang]').lang") == "fr"
