"""Author ids cannot switch off a questionnaire, and forms never submit (issue 17, item 1).

A heading ``## Measure phq9`` gets the id ``measure-phq9``, and a box with the explicit anchor
``{#measure-phq9}`` did too: the scripts once found their data with ``getElementById`` and read
the heading instead, so the PHQ-9 item-9 crisis alert never showed. The scripts now find their
data by ``data-icbt-*`` attributes that only templates write. The explicit anchor is added to the
built page here rather than written in Markdown, because the build may refuse it as a reserved id:
the scripts must hold even if such an element reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

CHECK_IN = """\
---
title: Check in
---

## Measure phq9

These questions ask how you have been over the last two weeks.

::: questionnaire phq9
:::
"""

#: What ``::: note Before you start {#measure-phq9}`` rendered as, with text that even parses as
#: a (wrong) measure definition.
ANCHORED_BOX = (
    '<aside class="callout callout-note" id="measure-phq9" aria-label="Before you start">'
    '<p>{"id": "phq9", "items": [], "option_sets": []}</p></aside>'
)


@pytest.fixture
def check_in(basic_project: Path) -> Path:
    """The built check-in page: PHQ-9 after a heading 'Measure phq9' and a box anchored
    'measure-phq9'."""
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text() + "measures:\n  - phq9\n")
    page_file = basic_project / "programmes/demo/modules/start/03-check-in.md"
    page_file.write_text(CHECK_IN)
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    built = basic_project / "site/demo/en-GB/start/check-in/index.html"
    html = built.read_text(encoding="utf-8")
    # The build keeps the site's ids for the site (the heading becomes section-measure-phq9);
    # the scripts must not depend on that, so the page is given the clashing ids by hand.
    heading = re.search(r'<h2 id="section-measure-phq9">Measure phq9</h2>', html)
    assert heading is not None, "the heading's id changed: update this test"
    clashing = '<h2 id="measure-phq9">Measure phq9</h2>' + ANCHORED_BOX
    built.write_text(html.replace(heading.group(0), clashing, 1))
    return built


def _answer_all(page: Page, item_9: str) -> None:
    form = page.locator("form[data-measure='phq9']")
    for n in range(1, 9):
        form.locator(f"#q-phq9-q{n}-2").check()  # "Several days" = 1
    form.locator(f"#q-phq9-q9-{item_9}").check()


def test_author_ids_like_the_measure_do_not_switch_off_the_crisis_alert(
    page: Page, check_in: Path, serve: Callable[[Path], str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = serve(check_in.parents[4]) + "demo/en-GB/start/check-in/"
    page.goto(url)
    assert page.locator('h2[id="measure-phq9"], aside[id="measure-phq9"]').count() == 2
    alert = page.locator("#q-phq9-q9-risk")
    expect(alert).to_be_hidden()
    _answer_all(page, "2")  # item 9: "Several days"
    expect(alert).to_be_visible()
    expect(alert.get_by_role("link", name="Get help now")).to_have_attribute(
        "href", "../../crisis/"
    )
    page.get_by_role("button", name="See my score").click()
    result = page.locator("#q-phq9-result")
    expect(result).to_contain_text("Your score is 9 out of 27.")
    expect(result).to_contain_text("No one is told about it automatically")
    assert page.url == url
    assert errors == []


def _without_csp(document: Path) -> None:
    """As in a host site without our Content-Security-Policy (which would block a submission)."""
    html = document.read_text(encoding="utf-8")
    document.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html))


@pytest.mark.parametrize("scripts", [False, True])
def test_forms_never_submit_even_when_scripts_do_not_wire_them(
    browser: Browser, check_in: Path, serve: Callable[[Path], str], scripts: bool
) -> None:
    welcome = check_in.parents[1] / "welcome/index.html"
    for document in (check_in, welcome):
        _without_csp(document)
    if scripts:
        # Scripts run, but the questionnaire's definition is gone: it cannot be wired.
        html = check_in.read_text(encoding="utf-8")
        check_in.write_text(
            re.sub(
                r'<script type="application/json" data-icbt-measure=.*?</script>',
                "",
                html,
                flags=re.DOTALL,
            )
        )
    base = serve(check_in.parents[4]) + "demo/en-GB/start/"
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    page.goto(base + "check-in/")
    _answer_all(page, "3")
    page.get_by_role("button", name="See my score").click()
    page.locator("#q-phq9-q1-1").press("Enter")
    page.wait_for_timeout(300)
    assert page.url == base + "check-in/"  # no answers in the address, no request with them
    page.goto(base + "welcome/")
    page.get_by_label("How low do you feel right now?").fill("42")
    page.get_by_label("How low do you feel right now?").press("Enter")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    page.wait_for_timeout(300)
    assert page.url == base + "welcome/"
    context.close()
