""" "My answers" as the client's record (issue 13, "Their own work, readable").

Every answer with its question, grouped by module in programme order, with dates; each
questionnaire's history as charts readable on a phone with a table alternative; printing in
full; a readable page beside the machine file; loading merges by time; delete names its
programme and deletes only its answers. On the sample site, in its three languages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, expect

pytestmark = pytest.mark.browser

GOALS = "icbt/v1/sad/exercise/my-goals"
SITUATIONS = "icbt/v1/sad/exercise/situations-i-find-hard"
DROP = "icbt/v1/sad/exercise/drop-sb-experiment"
PHQ9 = "icbt/v1/sad/measure/phq9"
GAD7 = "icbt/v1/sad/measure/gad7"
PTSD_PREFIX = "icbt/v1/ptsd/"
LOCALES = ["en-GB", "zh-Hant-HK", "ar"]

SEVERE = "moderately-severe"
PHQ9_RESULTS = {
    "results": [
        {"date": "2026-10-01T09:00:00.000Z", "answers": {}, "total": 17, "band": SEVERE},
        {"date": "2026-10-08T09:00:00.000Z", "answers": {}, "total": 12, "band": "moderate"},
        {"date": "2026-10-15T09:00:00.000Z", "answers": {}, "total": 6, "band": "mild"},
    ]
}
GAD7_RESULTS = {
    "results": [
        {"date": "2026-10-01T09:00:00.000Z", "answers": {}, "total": 14, "band": "moderate"},
        {"date": "2026-10-15T09:00:00.000Z", "answers": {}, "total": 8, "band": "mild"},
    ]
}
TYPED = "Speak up <b>once</b> in the team meeting"
LONG_GOAL = "\n".join(f"Line {n}: speak up once in the team meeting." for n in range(1, 41))


@pytest.fixture
def site(sample_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(sample_site)


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    """Script errors on the page; every test here ends with none."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    yield found
    assert found == []


def stored(page: Page, key: str) -> Any:
    raw = page.evaluate("key => localStorage.getItem(key)", key)
    return None if raw is None else json.loads(raw)


def put(page: Page, key: str, record: Any) -> None:
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [key, json.dumps(record)])


def fill_answers(page: Page, site: str, goal: str = TYPED) -> None:
    """Answers typed into the forms, and three weeks of questionnaire results."""
    page.goto(f"{site}sad/en-GB/introduction/your-goals/")
    page.get_by_label("Goal 1", exact=True).fill(goal)
    form = page.locator("form[data-exercise='my-goals']")
    form.locator("button[type=submit]").click()
    expect(form.locator(".save-status")).to_have_text("Saved on this device.")
    page.goto(f"{site}sad/en-GB/introduction/welcome/")
    put(page, PHQ9, PHQ9_RESULTS)
    put(page, GAD7, GAD7_RESULTS)
    put(
        page,
        SITUATIONS,
        {"version": 1, "fields": {"small-talk": True, "meeting-new-people": False}},
    )


def answers(page: Page, site: str, locale: str = "en-GB") -> None:
    page.goto(f"{site}sad/{locale}/answers/")
    expect(page.locator("[data-icbt-record]")).to_be_attached()


# -- the record ----------------------------------------------------------------------------------


def test_the_record_shows_every_answer_with_its_question_by_module_with_dates(
    page: Page, site: str, errors: list[str]
) -> None:
    answers(page, site)
    expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
    fill_answers(page, site)
    answers(page, site)
    expect(page.get_by_text("Nothing is saved yet.")).to_be_hidden()
    record = page.locator("[data-icbt-record]")
    modules = record.locator(".record-module > h3")
    expect(modules).to_have_text(["Getting started"])
    items = record.locator(".record-item > h4")
    # Programme order: the exercise before the questionnaires, the goals after them.
    expect(items).to_have_text(
        [
            "Situations I find hard",
            "Patient Health Questionnaire (PHQ-9)",
            "Generalized Anxiety Disorder Assessment (GAD-7)",
            "My goals",
        ]
    )
    goals = record.locator(".record-exercise").filter(has_text="My goals")
    expect(goals.locator("dt")).to_have_text(["Goal 1"])
    # The answer as text: markup typed by the client is shown as typed, never run.
    expect(goals.locator("dd")).to_have_text("Speak up <b>once</b> in the team meeting")
    expect(goals.locator("dd b")).to_have_count(0)
    expect(goals.locator(".record-date")).to_contain_text("Last changed on")
    situations = record.locator(".record-exercise").filter(has_text="Situations I find hard")
    expect(situations.locator("dt")).to_have_text(["Making small talk"])
    expect(situations.locator("dd")).to_have_text(["Yes"])
    phq9 = record.locator(".record-measure").filter(has_text="PHQ-9")
    expect(phq9.locator(".record-results li")).to_have_text(
        [
            "1 Oct 2026: score 17, Moderately severe",
            "8 Oct 2026: score 12, Moderate",
            "15 Oct 2026: score 6, Mild",
        ]
    )


def test_repeatable_entries_are_each_listed_with_their_date(
    page: Page, site: str, errors: list[str]
) -> None:
    page.goto(f"{site}sad/en-GB/")
    first = {
        "id": "e1",
        "created": "2026-10-02T18:00:00.000Z",
        "updated": "2026-10-02T18:00:00.000Z",
        "fields": {"situation": "Asking a question in class"},
    }
    second = {
        "id": "e2",
        "created": "2026-10-09T18:00:00.000Z",
        "updated": "2026-10-10T08:00:00.000Z",
        "fields": {"situation": "Lunch with Mei", "prediction": "I will go red"},
    }
    put(page, DROP, {"version": 1, "fields": {}, "entries": [second, first]})
    answers(page, site)
    entries = page.locator(".record-exercise").filter(has_text="Dropping a safety behaviour")
    listed = entries.locator(".record-entry")
    expect(listed).to_have_count(2)
    expect(listed.nth(0).locator("h5")).to_have_text("Entry of 2 Oct 2026, 18:00")
    expect(listed.nth(0).locator("dd")).to_have_text(["Asking a question in class"])
    expect(listed.nth(1).locator("h5")).to_contain_text("Entry of 9 Oct 2026")
    expect(listed.nth(1).locator(".record-date")).to_contain_text("Last changed on 10 Oct 2026")
    expect(listed.nth(1).locator("dd")).to_have_text(["Lunch with Mei", "I will go red"])


# -- charts and their table ----------------------------------------------------------------------


def phone(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    return context.new_page()


def test_charts_are_readable_on_a_phone_with_a_table_alternative(
    browser: Browser, site: str
) -> None:
    page = phone(browser)
    try:
        fill_answers(page, site)
        answers(page, site)
        charts = page.locator(".record-measure svg.measure-chart-svg")
        expect(charts).to_have_count(2)  # one per measure, each with its own axis
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('.record-measure svg text')].map((text) =>
                parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
        )
        assert sizes and min(sizes) >= 12, sizes
        widths = page.evaluate(
            """() => [...document.querySelectorAll('.record-measure svg')].map(
                (svg) => svg.getBoundingClientRect().right
                    <= document.documentElement.clientWidth)"""
        )
        assert widths == [True, True]
        phq9 = page.locator(".record-measure").filter(has_text="PHQ-9")
        expect(phq9.locator("svg .measure-line polyline")).to_have_count(1)  # one line
        expect(phq9.locator("svg circle")).to_have_count(3)
        bands = phq9.locator("svg .measure-band-name")
        assert "Moderate" in bands.all_text_contents()
        expect(phq9.locator("svg title").first).to_contain_text("Latest result: 6 on 15 Oct 2026.")
        # The table alternative: a named region a keyboard can reach and scroll.
        region = page.get_by_role("region", name="Your results over time: PHQ-9")
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("caption")).to_have_count(1)
        expect(region.locator("tbody tr")).to_have_count(3)
        expect(region.locator("tbody tr").last).to_contain_text("Mild")
        expect(page.get_by_role("region", name="Your results over time: GAD-7")).to_have_count(1)
        # Turned to landscape: drawn again at the new width, the words the same size.
        page.set_viewport_size({"width": 700, "height": 360})
        page.wait_for_function(
            "() => document.querySelector('.record-measure svg').getAttribute('width') > 400"
        )
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('.record-measure svg text')].map((text) =>
                parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
        )
        assert min(sizes) >= 12
    finally:
        page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_check_in_tables_scroll_by_keyboard_and_are_named_apart(
    page: Page, site: str, errors: list[str], locale: str
) -> None:
    fill_answers(page, site)
    page.goto(f"{site}sad/{locale}/check-in/")
    histories = page.locator("section.measure-history")
    expect(histories.first).to_be_visible()
    names = [
        page.evaluate(
            """(el) => el.getAttribute('aria-labelledby').split(' ')
                .map((id) => document.getElementById(id).textContent.trim()).join(' ')""",
            history.element_handle(),
        )
        for history in histories.all()
        if history.is_visible()
    ]
    assert len(names) == 2 and len(set(names)) == 2, names
    tables = page.locator("[data-table][role=region]")
    expect(tables).to_have_count(2)
    expect(tables.first).to_have_attribute("tabindex", "0")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


# -- printing ------------------------------------------------------------------------------------


def test_print_shows_every_long_answer_in_full(page: Page, site: str, errors: list[str]) -> None:
    fill_answers(page, site, goal=LONG_GOAL)
    page.goto(f"{site}sad/en-GB/introduction/your-goals/")
    box = page.get_by_label("Goal 1", exact=True)
    expect(box).to_have_value(LONG_GOAL)
    page.emulate_media(media="print")
    expect(box).to_be_hidden()
    copy = page.locator("#f-my-goals-goal-1 + .print-copy")
    expect(copy).to_be_visible()
    expect(copy).to_have_text(LONG_GOAL)
    assert copy.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
    assert "Line 40:" in copy.inner_text()
    # Typed after: the copy follows.
    page.emulate_media(media="screen")
    box.fill("Short now")
    page.emulate_media(media="print")
    expect(copy).to_have_text("Short now")
    # The record prints in full too, with the tables shown, and the tools left out.
    page.emulate_media(media="screen")
    box.fill(LONG_GOAL)
    page.locator("form[data-exercise='my-goals'] button[type=submit]").click()
    answers(page, site)
    page.emulate_media(media="print")
    answer = page.locator(".record-exercise").filter(has_text="My goals").locator("dd")
    expect(answer).to_have_text(LONG_GOAL)
    assert answer.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
    expect(page.get_by_role("button", name="Export my answers")).to_be_hidden()
    chart_fits = page.evaluate(
        """() => [...document.querySelectorAll('.measure-chart-svg')].every((svg) =>
            svg.getBoundingClientRect().right
                <= document.querySelector('main').getBoundingClientRect().right + 1)"""
    )
    assert chart_fits
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_print_opens_the_folded_tables(page: Page, site: str, errors: list[str]) -> None:
    fill_answers(page, site)
    page.goto(f"{site}sad/en-GB/check-in/")
    table = page.locator("details.measure-table [data-table] table").first
    expect(table).to_be_hidden()
    page.emulate_media(media="print")
    expect(table).to_be_visible()
    page.emulate_media(media="screen")
    expect(table).to_be_hidden()


# -- export: the machine file and a page to read --------------------------------------------------


class _Page(HTMLParser):
    """What a test needs of a saved page: its tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def save_download(page: Page, button: str, folder: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


@pytest.mark.parametrize(
    ("locale", "page_button", "machine_button", "direction"),
    [
        ("en-GB", "Save a page to read", "Export my answers", "ltr"),
        ("ar", "احفظ صفحة للقراءة", None, "rtl"),
    ],
)
def test_export_gives_a_page_to_read_beside_the_machine_file(
    page: Page,
    site: str,
    errors: list[str],
    tmp_path: Path,
    locale: str,
    page_button: str,
    machine_button: str | None,
    direction: str,
) -> None:
    fill_answers(page, site)
    answers(page, site, locale)
    readable = save_download(page, page_button, tmp_path)
    assert readable.name == "my-answers-sad.html"
    html = readable.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    parsed = _Page()
    parsed.feed(html)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "svg" not in tags
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    root = dict(parsed.tags)["html"]
    assert root == {"lang": locale, "dir": direction}
    policy = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert policy[0]["content"] == "default-src 'none'; style-src 'unsafe-inline'"
    text = "".join(parsed.text)
    assert "Speak up <b>once</b> in the team meeting" in text  # escaped, shown as typed
    assert "&lt;b&gt;once&lt;/b&gt;" in html
    assert tags.count("table") == 2 and tags.count("caption") == 2
    if locale == "en-GB":
        assert "My answers to Overcoming social anxiety" in text
        assert "Goal 1" in text and "Getting started" in text
        assert "score 17, Moderately severe" in text
        expect(page.locator("#answers-status")).to_have_text(
            "A page of your answers was saved. Open it in your browser to read or print it."
        )
    if machine_button:
        machine = save_download(page, machine_button, tmp_path)
        assert machine.name == "my-answers-sad.json"
        data = json.loads(machine.read_text(encoding="utf-8"))
        assert data["items"][GOALS]["fields"]["goal-1"] == TYPED
    # The saved page opens and reads on its own.
    page.goto(readable.as_uri())
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("dd").first).to_be_visible()


# -- import: merged by time ----------------------------------------------------------------------


def load_file(page: Page, site: str, folder: Path, items: dict[str, Any]) -> None:
    data = {
        "format": "icbt-answers",
        "version": 1,
        "programme": {"id": "sad", "title": "Overcoming social anxiety", "storage": "icbt/v1/sad/"},
        "items": items,
    }
    path = folder / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    answers(page, site)
    page.get_by_label("Choose a file you exported before").set_input_files(str(path))


OCTOBER = "2026-10-01T10:00:00.000Z"


def goals(updated: str, **fields: str) -> dict[str, Any]:
    return {
        "version": 1,
        "fields": {k.replace("_", "-"): v for k, v in fields.items()},
        "updated": updated,
    }


def test_an_older_file_never_overwrites_a_newer_answer(
    page: Page, site: str, errors: list[str], tmp_path: Path
) -> None:
    answers(page, site)
    put(page, GOALS, goals("2026-11-02T10:00:00.000Z", goal_1="Newer, saved here"))
    load_file(
        page,
        site,
        tmp_path,
        {GOALS: goals(OCTOBER, goal_1="Older, in the file", goal_2="Only in file")},
    )
    expect(page.locator("#answers-status")).to_have_text(
        "Loaded 1 saved item. 1 answer saved here is newer than the file's, so it was kept."
    )
    assert stored(page, GOALS) == goals(
        "2026-11-02T10:00:00.000Z", goal_1="Newer, saved here", goal_2="Only in file"
    )
    record = page.locator(".record-exercise").filter(has_text="My goals")
    expect(record.locator("dd")).to_have_text(["Newer, saved here", "Only in file"])


def test_a_newer_file_updates_older_answers_and_joins_results_and_entries(
    page: Page, site: str, errors: list[str], tmp_path: Path
) -> None:
    answers(page, site)
    put(page, GOALS, goals("2026-10-01T10:00:00.000Z", goal_1="Older, saved here", goal_3="Mine"))
    put(page, PHQ9, {"results": PHQ9_RESULTS["results"][:2]})
    here_entry = {
        "id": "e1",
        "created": "2026-10-02T18:00:00.000Z",
        "updated": "2026-10-12T18:00:00.000Z",
        "fields": {"situation": "Edited here later"},
    }
    put(page, DROP, {"version": 1, "fields": {}, "entries": [here_entry]})
    file_entry = {**here_entry, "updated": "2026-10-03T18:00:00.000Z"}
    file_entry["fields"] = {"situation": "Old"}
    new_entry = {
        "id": "e2",
        "created": "2026-10-20T18:00:00.000Z",
        "updated": "2026-10-20T18:00:00.000Z",
        "fields": {"situation": "From the other phone"},
    }
    load_file(
        page,
        site,
        tmp_path,
        {
            GOALS: goals("2026-11-01T10:00:00.000Z", goal_1="Newer, in the file"),
            PHQ9: {"results": PHQ9_RESULTS["results"][1:]},
            DROP: {"version": 1, "fields": {}, "entries": [file_entry, new_entry]},
        },
    )
    expect(page.locator("#answers-status")).to_have_text(
        "Loaded 3 saved items. 1 answer saved here is newer than the file's, so it was kept."
    )
    assert stored(page, GOALS) == goals(
        "2026-11-01T10:00:00.000Z", goal_1="Newer, in the file", goal_3="Mine"
    )
    assert stored(page, PHQ9) == PHQ9_RESULTS
    assert stored(page, DROP)["entries"] == [here_entry, new_entry]


T1, T2 = "2026-10-01T10:00:00.000Z", "2026-10-02T10:00:00.000Z"

#: (kind, saved here, from the file, merged, answers kept because newer here)
MERGES: list[tuple[str, Any, Any, Any, int]] = [
    # Exercise answers: the newer save wins, answers only one side has stay.
    (
        "exercise",
        {"fields": {"a": "here", "b": "only here"}, "updated": T2},
        {"fields": {"a": "file", "c": "only in file"}, "updated": T1},
        {"fields": {"a": "here", "b": "only here", "c": "only in file"}, "updated": T2},
        1,
    ),
    (
        "exercise",
        {"fields": {"a": "here", "b": "only here"}, "updated": T1},
        {"fields": {"a": "file"}, "updated": T2},
        {"fields": {"a": "file", "b": "only here"}, "updated": T2},
        0,
    ),
    # A file from before answers were dated never replaces a dated answer.
    (
        "exercise",
        {"fields": {"a": "here"}, "updated": T1},
        {"fields": {"a": "file"}},
        {"fields": {"a": "here"}, "updated": T1},
        1,
    ),
    # The same answer on both sides is not counted as kept.
    (
        "exercise",
        {"fields": {"a": "same"}, "updated": T2},
        {"fields": {"a": "same"}, "updated": T1},
        {"fields": {"a": "same"}, "updated": T2},
        0,
    ),
    # Entries by id, the one updated later winning; new ones from either side joined.
    (
        "exercise",
        {
            "fields": {},
            "entries": [
                {"id": "x", "created": T1, "updated": T2, "fields": {"a": "edited here"}},
            ],
        },
        {
            "fields": {},
            "entries": [
                {"id": "x", "created": T1, "updated": T1, "fields": {"a": "first"}},
                {"id": "y", "created": T2, "updated": T2, "fields": {"a": "new"}},
            ],
        },
        {
            "fields": {},
            "entries": [
                {"id": "x", "created": T1, "updated": T2, "fields": {"a": "edited here"}},
                {"id": "y", "created": T2, "updated": T2, "fields": {"a": "new"}},
            ],
        },
        1,
    ),
    # Results joined by date, oldest first.
    (
        "measure",
        {"results": [{"date": T2, "answers": {}, "total": 3}]},
        {"results": [{"date": T1, "answers": {}, "total": 9}, {"date": T2, "answers": {}}]},
        {
            "results": [
                {"date": T1, "answers": {}, "total": 9},
                {"date": T2, "answers": {}, "total": 3},
            ]
        },
        0,
    ),
    # Pages read and modules opened joined.
    (
        "progress",
        {"visited": ["a/1", "a/2"], "opened": []},
        {"visited": ["a/2", "b/1"], "opened": ["b"]},
        {"visited": ["a/1", "a/2", "b/1"], "opened": ["b"]},
        0,
    ),
    # Nothing saved here: the file's record as it is.
    ("exercise", None, {"fields": {"a": "file"}}, {"fields": {"a": "file"}}, 0),
]


@pytest.mark.parametrize(("kind", "here", "loaded", "merged", "kept"), MERGES)
def test_merging_by_time(
    page: Page, site: str, kind: str, here: Any, loaded: Any, merged: Any, kept: int
) -> None:
    page.goto(f"{site}sad/en-GB/answers/")
    found = page.evaluate(
        """async ([kind, here, loaded]) => {
            const {mergeRecord} = await import("/assets/merge.js");
            return mergeRecord(kind, here, loaded);
        }""",
        [kind, here, loaded],
    )
    assert found == {"record": merged, "kept": kept}


# -- delete: this programme only, named ----------------------------------------------------------


def test_delete_names_its_programme_and_keeps_the_other_programmes_answers(
    page: Page, site: str, errors: list[str]
) -> None:
    fill_answers(page, site)
    ptsd_key = f"{PTSD_PREFIX}exercise/anything"
    page.evaluate("(key) => localStorage.setItem(key, '{\"fields\": {}}')", ptsd_key)
    answers(page, site)
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Delete all my answers").click()
    expect(page.locator("#answers-status")).to_have_text(
        "Your answers to Overcoming social anxiety were deleted from this device."
    )
    assert questions == [
        "Delete all your answers to Overcoming social anxiety from this device? "
        "This cannot be undone."
    ]
    assert page.evaluate("Object.keys(localStorage)") == [ptsd_key]
    expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
    expect(page.locator("[data-icbt-record] *")).to_have_count(0)


# -- accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["empty", "filled", "invalid"])
@pytest.mark.parametrize("locale", LOCALES)
def test_the_answers_page_passes_axe(
    page: Page, site: str, locale: str, state: str, tmp_path: Path
) -> None:
    if state == "filled":
        fill_answers(page, site)
    answers(page, site, locale)
    if state == "invalid":
        # A file that is not an export: the page says so in the status line.
        bad = tmp_path / "not-answers.json"
        bad.write_text("[1, 2]", encoding="utf-8")
        page.locator("input[data-icbt-import]").set_input_files(str(bad))
        expect(page.locator("#answers-status")).not_to_be_empty()
    if state == "filled":
        expect(page.locator(".record-measure svg")).to_have_count(2)
    if state == "filled" and locale == "ar":
        # PHQ-9 has no validated Arabic translation here: its own words are marked English.
        phq9 = page.locator(".record-measure").filter(has_text="PHQ-9")
        expect(phq9.locator("h4")).to_have_attribute("lang", "en")
        expect(phq9.locator("h4")).to_have_attribute("dir", "ltr")
        expect(phq9.locator("tbody td[lang=en]").last).to_have_text("Mild")
        expect(phq9.locator(".record-results li span[lang=en]").last).to_have_text("Mild")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
