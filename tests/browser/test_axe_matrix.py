"""axe on every page type of the sample site, in every sample locale, empty, filled in and with
invalid answers, in the light and the dark theme: 0 violations (issue 13, "Done when").

One browser context per locale and theme walks the states in order: every page new, then the
exercise and questionnaires filled in (so "My answers", the home page's progress and the
results history have something to show), then the forms sent with answers they refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

LOCALES = ["en-GB", "zh-Hant-HK", "ar"]
SCHEMES = ["light", "dark"]
#: The light theme on a phone (tables scroll sideways, the navigation below the page), the dark
#: one on a desktop window: each layout is checked once per locale.
WINDOWS = {"light": {"width": 360, "height": 740}, "dark": {"width": 1280, "height": 800}}

#: Page type -> its path in the SAD programme (below sad/<locale>/).
PAGES = {
    "home": "",
    "module": "your-model/",
    "content page": "introduction/welcome/",
    "exercise page": "video-feedback/how-you-think-you-look/",
    "repeatable exercise": "behavioural-experiments/dropping-safety-behaviours/",
    "questionnaire": "check-in/",
    "my answers": "answers/",
    "crisis": "crisis/",
    "therapist guide": "therapist/",
}
#: The pages with forms: also checked with answers they refuse.
FORMS = ("exercise page", "questionnaire")

_axe = Axe()


def violations(page: Page, where: str) -> list[str]:
    """One line per violation: where, rule, and the first offending element."""
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        target = nodes[0]["target"] if nodes else ""
        found.append(f"{where}: {violation['id']} ({len(nodes)}x) {target}")
    return found


def fill_exercise(page: Page) -> None:
    for form in page.locator("form[data-icbt-exercise]").all():
        for box in form.locator("input[type=text], textarea").all():
            box.fill("A few words")
        for box in form.locator("input[type=number]").all():
            box.fill("40")
        for radio in form.locator("input[type=radio]").all()[:1]:
            radio.check()
        form.locator("button[type=submit]").click()


def fill_questionnaires(page: Page) -> None:
    for form in page.locator("form[data-icbt-questionnaire]").all():
        for item in form.locator("fieldset.measure-item").all():
            radios = item.locator("input[type=radio]")
            if radios.count():
                radios.nth(1).check()
            else:
                item.locator("input[type=number]").fill("30")
        form.locator("button[type=submit]").click()
        expect(form.locator("[data-icbt-result] p").first).to_be_visible()


def invalid_forms(page: Page, kind: str) -> None:
    selector = "form[data-icbt-exercise]" if kind == "exercise page" else "form[data-measure]"
    for form in page.locator(selector).all():
        numbers = form.locator("input[type=number]")
        if numbers.count():
            numbers.first.fill("1000")
        for radio in form.locator("input[type=radio]").all():
            radio.evaluate("r => { r.checked = false; }")
        form.locator("button[type=submit]").click()
    expect(page.locator("[data-icbt-error-summary] a").first).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_type_has_no_axe_violations(
    browser: Browser, sample_site: Path, serve: Callable[[Path], str], locale: str, scheme: str
) -> None:
    base = serve(sample_site)
    context = browser.new_context(
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport=WINDOWS[scheme],  # type: ignore[arg-type]
    )
    page = context.new_page()
    found: list[str] = []
    try:
        for kind, path in PAGES.items():
            page.goto(f"{base}sad/{locale}/{path}")
            found += violations(page, f"{kind} (empty)")
        page.goto(f"{base}sad/{locale}/{PAGES['exercise page']}")
        fill_exercise(page)
        page.goto(f"{base}sad/{locale}/{PAGES['questionnaire']}")
        fill_questionnaires(page)
        for kind, path in PAGES.items():
            page.goto(f"{base}sad/{locale}/{path}")
            for details in page.locator("main details").all():
                if details.is_visible():
                    details.locator("summary").click()
            found += violations(page, f"{kind} (filled)")
        for kind in FORMS:
            page.goto(f"{base}sad/{locale}/{PAGES[kind]}")
            invalid_forms(page, kind)
            found += violations(page, f"{kind} (invalid)")
    finally:
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_site_index_has_no_axe_violations(
    browser: Browser, sample_site: Path, serve: Callable[[Path], str], scheme: str
) -> None:
    context = browser.new_context(
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport=WINDOWS[scheme],  # type: ignore[arg-type]
    )
    page = context.new_page()
    try:
        page.goto(serve(sample_site))
        found = violations(page, "site index")
    finally:
        context.close()
    assert not found, "\n".join(found)
