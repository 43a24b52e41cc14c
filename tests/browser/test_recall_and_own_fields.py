"""A programme's own fields saved and restored, and earlier answers recalled on a later page.

The diagnostics are fixtures (tests/fixtures/diagnostics/record-*.txt, recall-*.txt); where the
added fields appear besides the form is tests/test_record_fields.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

TRY_IT = "programmes/demo/modules/practice/01-try-it.md"
REFLECT = "programmes/demo/modules/start/02-reflect.md"
EXPERIMENT_KEY = "icbt/v1/demo/exercise/first-experiment"

OWN_FIELDS = """id: first-experiment
title: Your first experiment
relabel:
  situation:
    label: Where I was when the panic started
add_fields:
  - id: sensations
    label: The sensations I noticed
    after: situation
  - id: how-it-ended
    label: How it ended
    kind: choice
    choices:
      - id: passed
        label: It passed on its own
      - id: left
        label: I left
"""

RECALLS = """
::: recall
exercise: first-experiment
field: what-i-learned
:::

::: recall
exercise: first-experiment
field: how-it-ended
:::

::: recall
exercise: first-experiment
field: belief-before
into: belief-now
:::

::: exercise rating
id: belief-again
title: Your belief now
ratings:
  - id: belief-now
    label: How much do you believe your prediction now?
:::
"""


def _site(
    project: Path, serve: Callable[[Path], str], *, repeatable: bool = False, recalls: str = RECALLS
) -> str:
    page = project / TRY_IT
    own = OWN_FIELDS + ("repeatable: true\n" if repeatable else "")
    page.write_text(
        page.read_text().replace("id: first-experiment\ntitle: Your first experiment\n", own)
    )
    (project / REFLECT).write_text((project / REFLECT).read_text() + recalls)
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return serve(project / "site") + "demo/en-GB/"


@pytest.fixture
def site(basic_project: Path, serve: Callable[[Path], str]) -> str:
    return _site(basic_project, serve)


def _axe_clean(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _stored(page: Page, key: str) -> dict[str, object]:
    record: dict[str, object] = json.loads(page.evaluate(f"localStorage.getItem('{key}')"))
    return record


def test_added_and_relabelled_fields_are_saved_and_restored(page: Page, site: str) -> None:
    page.goto(site + "practice/try-it/")
    form = page.locator("form[data-exercise='first-experiment']")
    form.get_by_label("Where I was when the panic started").fill("On the bus")
    form.get_by_label("The sensations I noticed").fill("Racing heart, dizzy")
    form.get_by_label("I left").check()
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".save-status")).to_have_text("Saved on this device.")
    fields = _stored(page, EXPERIMENT_KEY)["fields"]
    assert fields == {
        **dict.fromkeys(
            [
                "prediction",
                "belief-before",
                "safety-behaviours",
                "what-i-did",
                "what-happened",
                "belief-after",
                "what-i-learned",
            ],
            "",
        ),
        "situation": "On the bus",
        "sensations": "Racing heart, dizzy",
        "how-it-ended": "left",
    }
    _axe_clean(page)

    page.reload()
    expect(form.get_by_label("The sensations I noticed")).to_have_value("Racing heart, dizzy")
    expect(form.get_by_label("I left")).to_be_checked()
    expect(form.get_by_label("Where I was when the panic started")).to_have_value("On the bus")


def test_nothing_saved_yet_is_said_calmly(page: Page, site: str) -> None:
    page.goto(site + "start/reflect/")
    answers = page.locator("[data-icbt-recall-answer]")
    expect(answers).to_have_count(3)
    for n in range(3):
        expect(answers.nth(n)).to_have_text(
            "Nothing is saved here yet. Your answer will appear here once you have filled it in."
        )
    expect(page.get_by_label("How much do you believe your prediction now?")).to_have_value("")
    link = page.locator("[data-icbt-recall]").first.get_by_role("link", name="Go to the exercise")
    expect(link).to_have_attribute("href", "../../practice/try-it/#ex-first-experiment-title")
    _axe_clean(page)


def test_earlier_answers_are_shown_as_text_and_prefill_an_empty_field(
    page: Page, site: str
) -> None:
    page.goto(site + "practice/try-it/")
    form = page.locator("form[data-exercise='first-experiment']")
    form.get_by_label("How much I believe my prediction (0-100%)").first.fill("80")
    form.get_by_label("What I learned").fill("<b>People</b> did not notice\nat all")
    form.get_by_label("It passed on its own").check()
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".save-status")).to_have_text("Saved on this device.")

    page.goto(site + "start/reflect/")
    answers = page.locator("[data-icbt-recall-answer]")
    expect(answers.nth(0)).to_have_text("<b>People</b> did not notice\nat all")
    assert page.locator("[data-icbt-recall] b").count() == 0  # text, never HTML
    expect(answers.nth(1)).to_have_text("It passed on its own")
    expect(answers.nth(2)).to_have_text("80")
    now = page.get_by_label("How much do you believe your prediction now?")
    expect(now).to_have_value("80")
    _axe_clean(page)

    # The client's own answer here is never replaced by the earlier one.
    now.fill("30")
    page.locator("form[data-exercise='belief-again'] button[type=submit]").click()
    page.reload()
    expect(now).to_have_value("30")
    expect(answers.nth(2)).to_have_text("80")


def test_the_first_or_latest_entry_of_a_repeatable_record(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    reflect = basic_project / REFLECT
    reflect.write_text(
        reflect.read_text() + "\n::: recall\nexercise: first-experiment\nfield: situation\n"
        "entry: first\n:::\n"
    )
    site = _site(basic_project, serve, repeatable=True)
    page.goto(site + "start/reflect/")
    entries = [
        {"id": "e1", "created": "2026-11-02T10:00:00.000Z", "fields": {"situation": "Second"}},
        {"id": "e2", "created": "2026-11-01T10:00:00.000Z", "fields": {"situation": "First"}},
        {"id": "e3", "created": "2026-11-03T10:00:00.000Z", "fields": {"situation": "Third"}},
    ]
    record = {"version": 1, "fields": {}, "entries": entries}
    page.evaluate(f"localStorage.setItem('{EXPERIMENT_KEY}', JSON.stringify({json.dumps(record)}))")
    page.reload()
    first = page.locator("[data-icbt-recall]").first
    expect(first.locator(".recall-label")).to_contain_text("(first entry)")
    expect(first.locator("[data-icbt-recall-answer]")).to_have_text("First")
    latest = page.locator("[data-icbt-recall]").nth(1)
    expect(latest.locator(".recall-label")).to_contain_text("(latest entry)")
    # what-i-learned is empty in every entry: the latest has nothing saved for it.
    expect(latest.locator("[data-icbt-recall-answer]")).to_contain_text("Nothing is saved here yet")
    _axe_clean(page)


def test_a_repeatable_form_starts_each_new_entry_with_the_earlier_answer(
    page: Page, basic_project: Path, serve: Callable[[Path], str]
) -> None:
    recalls = RECALLS.replace(
        "title: Your belief now\n", "title: Your belief now\nrepeatable: true\n"
    )
    site = _site(basic_project, serve, recalls=recalls)
    page.goto(site + "practice/try-it/")
    page.evaluate(
        f"localStorage.setItem('{EXPERIMENT_KEY}', JSON.stringify("
        "{version: 1, fields: {'belief-before': '70'}}))"
    )
    page.goto(site + "start/reflect/")
    now = page.get_by_label("How much do you believe your prediction now?")
    expect(now).to_have_value("70")
    now.fill("40")
    page.locator("form[data-exercise='belief-again'] button[type=submit]").click()
    listed = page.locator("[data-icbt-entry-list] li")
    expect(listed).to_have_count(1)

    page.get_by_role("button", name="New entry").click()
    expect(now).to_have_value("70")
    # An entry being edited shows what was saved in it, even when that is empty.
    page.evaluate(
        "localStorage.setItem('icbt/v1/demo/exercise/belief-again', JSON.stringify({version: 1,"
        " fields: {}, entries: [{id: 'e1', created: '2026-11-01T10:00:00.000Z',"
        " fields: {'belief-now': ''}}]}))"
    )
    page.reload()
    page.get_by_role("button", name="Edit").click()
    expect(now).to_have_value("")


SAD_EXPERIMENT_KEY = "icbt/v1/sad/exercise/drop-sb-experiment"
SAD_ENTRIES = {
    "version": 1,
    "fields": {},
    "entries": [
        {
            "id": "e2",
            "created": "2026-11-09T10:00:00.000Z",
            "fields": {"prediction": "Later", "what-i-learned": "Nobody minded the pause"},
        },
        {
            "id": "e1",
            "created": "2026-11-02T10:00:00.000Z",
            "fields": {"prediction": "They will think I am boring", "belief-before": "85"},
        },
    ],
}


@pytest.mark.parametrize("locale", ["en-GB", "ar", "zh-Hant-HK"])
def test_the_sample_blueprint_recalls_the_experiments_in_every_locale(
    page: Page, sample_site: Path, serve: Callable[[Path], str], locale: str
) -> None:
    base = serve(sample_site) + f"sad/{locale}/blueprint/"
    page.goto(base + "looking-back/")
    empty = page.locator("[data-icbt-recall-answer]")
    expect(empty).to_have_count(2)
    expect(empty.first).not_to_be_empty()  # the calm line, in the page's language
    _axe_clean(page)

    page.evaluate(
        f"localStorage.setItem('{SAD_EXPERIMENT_KEY}', JSON.stringify({json.dumps(SAD_ENTRIES)}))"
    )
    page.reload()
    expect(empty.nth(0)).to_have_text("They will think I am boring")  # the first entry
    expect(empty.nth(1)).to_have_text("85")
    _axe_clean(page)

    page.goto(base + "your-blueprint/")
    expect(page.locator("[data-icbt-recall-answer]")).to_have_text("Nobody minded the pause")
    found_out = page.locator("form[data-exercise='my-blueprint'] [name='what-i-found-out']")
    expect(found_out).to_have_value("Nobody minded the pause")
    _axe_clean(page)


#: Sums the layout shifts not caused by the client (as tests/browser/test_layout_shift.py does).
OBSERVE_SHIFTS = """
window.icbtShifts = 0;
new PerformanceObserver((list) => {
  for (const s of list.getEntries()) if (!s.hadRecentInput) window.icbtShifts += s.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("path", ["looking-back/", "your-blueprint/"])
@pytest.mark.parametrize("saved", [False, True])
def test_recalled_answers_move_nothing_when_they_arrive(
    page: Page, sample_site: Path, serve: Callable[[Path], str], path: str, saved: bool
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.add_init_script(OBSERVE_SHIFTS)
    url = serve(sample_site) + "sad/en-GB/blueprint/" + path
    if saved:
        page.goto(url)
        page.evaluate(
            f"localStorage.setItem('{SAD_EXPERIMENT_KEY}', "
            f"JSON.stringify({json.dumps(SAD_ENTRIES)}))"
        )
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    expect(page.locator("[data-icbt-recall-answer]").first).not_to_be_empty()
    assert float(page.evaluate("window.icbtShifts")) < 0.1
