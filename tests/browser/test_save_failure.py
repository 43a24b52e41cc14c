"""A save that fails is told at once, as the client types, in their language; the site asks the
browser to keep its storage; without JavaScript a note says saving needs it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.browser

GOALS = "sad/{locale}/introduction/your-goals/"
EXPERIMENT = "sad/en-GB/behavioural-experiments/dropping-safety-behaviours/"

# Storage that fails while window.__full is true, as a full or locked-down browser's does.
FULL_STORAGE = """
window.__full = true;
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (window.__full) throw new DOMException("full", "QuotaExceededError");
  return setItem.call(this, key, value);
};
"""
# Storage turned off: reading window.localStorage throws, as with cookies blocked.
NO_STORAGE = """
Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("denied", "SecurityError"); },
});
"""
# Records whether the site asked to keep its storage.
PERSIST = """
window.__persistAsked = 0;
if (navigator.storage) {
  navigator.storage.persisted = () => Promise.resolve(false);
  navigator.storage.persist = () => { window.__persistAsked += 1; return Promise.resolve(true); };
}
"""


@pytest.fixture
def site(sample_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(sample_site)


@pytest.fixture
def fresh(browser: Browser) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_page(script: str = "", javascript: bool = True) -> Page:
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        if script:
            context.add_init_script(script)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _status(page: Page, exercise: str) -> Locator:
    return page.locator(f"form[data-exercise='{exercise}'] .save-status")


@pytest.mark.parametrize(
    ("locale", "label", "message"),
    [
        ("en-GB", "Goal 1", "Could not save: this browser's storage is full or turned off."),
        ("ar", "الهدف 1", "تعذّر الحفظ: مساحة التخزين في هذا المتصفح ممتلئة أو معطّلة."),
    ],
)
def test_full_storage_is_told_while_typing_then_cleared(
    fresh: Callable[..., Page], site: str, locale: str, label: str, message: str
) -> None:
    page = fresh(FULL_STORAGE)
    page.goto(site + GOALS.format(locale=locale))
    # No Save button pressed: the save as the client types fails, and says so.
    page.get_by_label(label, exact=True).fill("Speak at the team meeting")
    expect(_status(page, "my-goals")).to_have_text(message)
    page.evaluate("window.__full = false")
    page.get_by_label(label, exact=True).press_sequentially(" once")
    expect(_status(page, "my-goals")).not_to_have_text(message)
    assert page.evaluate("localStorage.length") > 0


def test_storage_turned_off_is_told_at_once(fresh: Callable[..., Page], site: str) -> None:
    page = fresh(NO_STORAGE)
    page.goto(site + GOALS.format(locale="en-GB"))
    page.get_by_label("Goal 1", exact=True).fill("Say hello to a neighbour")
    expect(_status(page, "my-goals")).to_have_text(
        "Could not save: this browser's storage is full or turned off."
    )


def test_a_repeatable_record_tells_it_too(fresh: Callable[..., Page], site: str) -> None:
    page = fresh(FULL_STORAGE)
    page.goto(site + EXPERIMENT)
    page.get_by_label("The situation").fill("Lunch with colleagues")
    expect(_status(page, "drop-sb-experiment")).to_have_text(
        "Could not save: this browser's storage is full or turned off."
    )


def test_the_browser_is_asked_to_keep_storage_once_something_is_saved(
    fresh: Callable[..., Page], site: str
) -> None:
    page = fresh(PERSIST)
    page.goto(site + GOALS.format(locale="en-GB"))
    page.wait_for_load_state("networkidle")
    # Reading the page saves progress, typing saves the goal: the browser is asked once a page.
    page.get_by_label("Goal 1", exact=True).fill("Ask a question in class")
    page.get_by_role("button", name="Save").first.click()
    expect(_status(page, "my-goals")).to_have_text("Saved on this device.")
    assert page.evaluate("window.__persistAsked") == 1


def test_without_javascript_a_note_says_saving_needs_it(
    fresh: Callable[..., Page], site: str
) -> None:
    page = fresh(javascript=False)
    # Playwright's text search skips <noscript>, so the note is found by its place.
    note = page.locator("noscript > p.notice").first
    for path in (GOALS.format(locale="en-GB"), "sad/en-GB/answers/"):
        page.goto(site + path)
        expect(note).to_be_visible()
        expect(note).to_contain_text("Saving your answers needs JavaScript")
    page.goto(site + GOALS.format(locale="ar"))
    expect(note).to_be_visible()
    expect(note).to_contain_text("يحتاج حفظ إجاباتك إلى JavaScript")
