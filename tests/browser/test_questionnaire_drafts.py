"""Questionnaires a client can leave and finish later, one result a day, big enough targets and
an error summary (issue 13, "Safer and calmer to use"), on the sample site in Debian chromium."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

CHECK_IN = "sad/en-GB/check-in/"
EXERCISE = "sad/en-GB/video-feedback/how-you-think-you-look/"
PHQ9 = "icbt/v1/sad/measure/phq9"


@pytest.fixture
def site(sample_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(sample_site)


def stored(page: Page, key: str = PHQ9) -> Any:
    raw = page.evaluate("key => localStorage.getItem(key)", key)
    return json.loads(raw) if raw else None


def answer_phq9(page: Page, option: int, items: range = range(1, 10)) -> None:
    form = page.locator("form[data-measure='phq9']")
    for n in items:
        form.locator(f"#q-phq9-q{n}-{option}").check()


def test_half_finished_answers_come_back_and_scoring_clears_them(page: Page, site: str) -> None:
    page.goto(site + CHECK_IN)
    answer_phq9(page, 2, range(1, 5))
    form = page.locator("form[data-measure='phq9']")
    form.locator("#q-phq9-q9-3").check()  # a risk answer: crisis help at once
    expect(page.locator("#q-phq9-q9-risk")).to_be_visible()
    draft = stored(page)
    assert draft["results"] == []
    assert draft["draft"]["answers"] == {"q1": "1", "q2": "1", "q3": "1", "q4": "1", "q9": "2"}

    page.goto(site + CHECK_IN)
    for n in range(1, 5):
        expect(form.locator(f"#q-phq9-q{n}-2")).to_be_checked()
    expect(form.locator("#q-phq9-q5-2")).not_to_be_checked()
    expect(form.locator("#q-phq9-q9-3")).to_be_checked()
    # A restored risk answer shows crisis help again, without the client touching it.
    expect(page.locator("#q-phq9-q9-risk")).to_be_visible()

    answer_phq9(page, 2, range(5, 9))
    form.get_by_role("button", name="See my score").click()
    expect(page.locator("#q-phq9-result")).to_contain_text("Your score is 10 out of 27.")
    saved = stored(page)
    assert "draft" not in saved and len(saved["results"]) == 1
    page.goto(site + CHECK_IN)
    expect(form.locator("#q-phq9-q1-2")).not_to_be_checked()


def test_a_number_box_draft_keeps_what_was_typed(page: Page, site: str) -> None:
    page.goto(site + CHECK_IN)
    box = page.locator("form[data-measure='sad-weekly'] input[type=number]").first
    box.fill("150")
    page.wait_for_function(
        "key => (JSON.parse(localStorage.getItem(key) || '{}').draft || {}).answers",
        arg="icbt/v1/sad/measure/sad-weekly",
    )
    page.reload()
    expect(page.locator("form[data-measure='sad-weekly'] input[type=number]").first).to_have_value(
        "150"
    )


def score_on(browser: Browser, site: str, when: str, timezone: str, state: Any) -> Any:
    """Score PHQ-9 with the clock at when, in timezone; return the stored record."""
    context = browser.new_context(timezone_id=timezone)
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(when))
    page.goto(site + CHECK_IN)
    if state is not None:
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [PHQ9, json.dumps(state)])
        page.reload()
    answer_phq9(page, 2)
    page.locator("form[data-measure='phq9']").get_by_role("button", name="See my score").click()
    expect(page.locator("#q-phq9-result")).to_contain_text("Your score is 9 out of 27.")
    saved = stored(page)
    context.close()
    return saved


@pytest.mark.parametrize(
    ("first", "second", "timezone", "results"),
    [
        # Morning and evening of one day in Hong Kong: one result, the later one.
        ("2026-12-02T01:00:00+00:00", "2026-12-02T12:00:00+00:00", "Asia/Hong_Kong", 1),
        # The same two times are two days in Hong Kong when they cross its midnight (16:00 UTC).
        ("2026-12-02T15:00:00+00:00", "2026-12-02T17:00:00+00:00", "Asia/Hong_Kong", 2),
        # ... and one day in London.
        ("2026-12-02T15:00:00+00:00", "2026-12-02T17:00:00+00:00", "Europe/London", 1),
    ],
)
def test_scoring_twice_on_a_day_updates_that_days_result(
    browser: Browser, site: str, first: str, second: str, timezone: str, results: int
) -> None:
    once = score_on(browser, site, first, timezone, None)
    once["results"][0]["total"] = 3  # told apart from the second result
    twice = score_on(browser, site, second, timezone, once)
    assert len(twice["results"]) == results
    assert twice["results"][-1]["total"] == 9
    assert twice["results"][-1]["date"].startswith(second[:13])


def test_radio_buttons_and_checkboxes_are_at_least_24_px(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (CHECK_IN, "sad/en-GB/attention-training/practising/"):
        page.goto(site + path)
        boxes = page.eval_on_selector_all(
            "input[type=radio], input[type=checkbox]",
            "els => els.map(e => [e.offsetWidth, e.offsetHeight])",
        )
        assert boxes, path
        assert min(min(w, h) for w, h in boxes) >= 24, path


def test_an_unfinished_questionnaire_shows_an_error_summary_linking_to_each_question(
    page: Page, site: str
) -> None:
    page.goto(site + CHECK_IN)
    answer_phq9(page, 2, range(1, 8))
    form = page.locator("form[data-measure='phq9']")
    form.get_by_role("button", name="See my score").click()
    summary = form.locator("[data-icbt-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Answer question 8.", "Answer question 9."])
    links.nth(1).click()
    expect(form.locator("#q-phq9-q9-1")).to_be_focused()
    answer_phq9(page, 2, range(8, 10))
    form.get_by_role("button", name="See my score").click()
    expect(summary).to_have_count(0)


def test_an_out_of_range_number_is_summarised_with_its_question(page: Page, site: str) -> None:
    page.goto(site + CHECK_IN)
    form = page.locator("form[data-measure='sad-weekly']")
    form.locator("input[type=number]").nth(1).fill("150")
    form.get_by_role("button", name="See my score").click()
    summary = form.locator("[data-icbt-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Question 2: enter a whole number from 0 to 100."]
    )
    summary.get_by_role("link").click()
    expect(form.locator("input[type=number]").nth(1)).to_be_focused()


def test_an_invalid_exercise_shows_an_error_summary(page: Page, site: str) -> None:
    page.goto(site + EXERCISE)
    form = page.locator("form[data-icbt-exercise]:has(input[type=number])").first
    box = form.locator("input[type=number]").first
    box.fill("500")
    form.get_by_role("button", name="Save").click()
    summary = form.locator("[data-icbt-error-summary]")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_contain_text("Enter a whole number from 0 to 100.")
    link.click()
    expect(box).to_be_focused()
    box.fill("50")
    # The field's own error goes as the client types (before they reach for Save).
    expect(box).to_have_attribute("aria-invalid", "false")
    form.get_by_role("button", name="Save").click()
    expect(summary).to_have_count(0)


def test_a_draft_that_cannot_be_saved_is_told_at_once(page: Page, site: str) -> None:
    page.add_init_script("Storage.prototype.setItem = () => { throw new Error('full'); };")
    page.goto(site + CHECK_IN)
    answer_phq9(page, 2, range(1, 2))
    expect(page.locator("#q-phq9-result")).to_have_text(
        "Could not save: this browser's storage is full or turned off."
    )
