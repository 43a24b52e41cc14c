"""A client's saved answers under bad files and damaged storage (issue 9, "The client's answers").

Nothing read from storage or from a file can break a page; a file loads only into the programme it
was made for unless the client agrees, in a question naming both programmes; only what fits the
programme's schema (made by the build) is loaded; export and delete act on this programme only.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from playwright.sync_api import Dialog, Page, expect

from icbt_content import build_site, load_programme
from icbt_content.render.records import answers_file_schema

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent.parent / "fixtures"
MOOD = "icbt/v1/demo/exercise/mood-now"
HABITS = "icbt/v1/demo/exercise/habits"
REVIEW = "icbt/v1/demo/exercise/week-review"
PROGRESS = "icbt/v1/demo/progress"
OTHER_MOOD = "icbt/v1/other/exercise/mood-now"


@pytest.fixture(scope="module")
def two_programmes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic project with a second programme ('other', "Other programme") beside 'demo',
    built once: each test serves it on a port of its own (its own origin, cleared after the
    test), so nothing saved is shared."""
    project = tmp_path_factory.mktemp("answers") / "project"
    shutil.copytree(FIXTURES / "projects" / "basic", project)
    source = project / "programmes" / "demo"
    other = project / "programmes" / "other"
    shutil.copytree(source, other)
    manifest = other / "programme.yaml"
    manifest.write_text(
        manifest.read_text()
        .replace("id: demo", "id: other")
        .replace("title: Demo programme", "title: Other programme")
    )
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return project


@pytest.fixture
def base(two_programmes: Path, serve: Callable[[Path], str]) -> str:
    return serve(two_programmes / "site")


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


def put(page: Page, key: str, raw: str) -> None:
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [key, raw])


def save_rating(page: Page, base: str, programme: str, value: str) -> None:
    page.goto(f"{base}{programme}/en-GB/start/welcome/")
    page.get_by_label("How low do you feel right now?").fill(value)
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
        "Saved on this device."
    )


def export(page: Page, base: str, programme: str, folder: Path) -> Path:
    page.goto(f"{base}{programme}/en-GB/answers/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my answers").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def load_file(page: Page, base: str, programme: str, path: Path) -> None:
    page.goto(f"{base}{programme}/en-GB/answers/")
    page.get_by_label("Choose a file you exported before").set_input_files(str(path))


def status(page: Page) -> Any:
    return page.locator("#answers-status")


def write_file(folder: Path, data: Any) -> Path:
    path = folder / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- damaged storage ---------------------------------------------------------------------------

BAD_PROGRESS = [
    '{"visited": {"start/welcome": true}}',
    '{"visited": "start/welcome"}',
    '{"visited": [1, null, {"a": 1}], "opened": "start"}',
    '{"visited": null}',
    "[1, 2, 3]",
    '"progress"',
    "42",
    "null",
    "{not json",
]


@pytest.mark.parametrize("raw", BAD_PROGRESS)
def test_a_damaged_progress_record_breaks_no_page(
    page: Page, base: str, errors: list[str], raw: str, tmp_path: Path
) -> None:
    page.goto(base + "demo/en-GB/start/welcome/")
    put(page, PROGRESS, raw)
    # Save still works, and the page is recorded as read in a progress record that fits.
    save_rating(page, base, "demo", "30")
    assert stored(page, MOOD)["fields"]["rating"] == "30"
    progress = stored(page, PROGRESS)
    assert isinstance(progress["visited"], list)
    assert "start/welcome" in progress["visited"]
    assert all(isinstance(key, str) for key in progress["visited"])
    # Export and delete still work.
    put(page, PROGRESS, raw)
    exported = json.loads(export(page, base, "demo", tmp_path).read_text())
    assert exported["items"][MOOD]["fields"]["rating"] == "30"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete all my answers").click()
    expect(status(page)).to_contain_text("were deleted")
    assert stored(page, MOOD) is None


@pytest.mark.parametrize(
    "raw",
    [
        '{"fields": "x"}',
        '{"fields": {"rating": {"a": 1}}, "version": 1}',
        '{"version": 1}',
        "{not json",
        '{"fields": {"rating": "30", "__proto__": {"polluted": true}}}',
    ],
)
def test_a_damaged_exercise_record_breaks_no_page(
    page: Page, base: str, errors: list[str], raw: str
) -> None:
    page.goto(base + "demo/en-GB/start/welcome/")
    put(page, MOOD, raw)
    page.reload()
    rating = page.get_by_label("How low do you feel right now?")
    assert rating.input_value() in ("", "30")
    save_rating(page, base, "demo", "44")
    saved = stored(page, MOOD)
    assert saved["fields"]["rating"] == "44"
    assert page.evaluate("({}).polluted") is None


# -- loading a file ----------------------------------------------------------------------------


def test_a_progress_record_of_the_wrong_type_in_a_file_is_left_out(
    page: Page, base: str, errors: list[str], tmp_path: Path
) -> None:
    path = write_file(
        tmp_path,
        {
            "format": "icbt-answers",
            "version": 1,
            "items": {
                PROGRESS: {"visited": {"start/welcome": 1}},
                MOOD: {"version": 1, "fields": {"rating": "12"}},
            },
        },
    )
    load_file(page, base, "demo", path)
    expect(status(page)).to_have_text(
        "Loaded 2 saved items. Some items in the file were left out: they do not belong to "
        "Demo programme or do not fit it."
    )
    assert stored(page, PROGRESS) == {}  # what fits of it: nothing
    page.goto(base + "demo/en-GB/start/welcome/")
    expect(page.get_by_label("How low do you feel right now?")).to_have_value("12")
    assert stored(page, PROGRESS)["visited"] == ["start/welcome"]


def test_answers_of_the_wrong_type_are_never_shown_as_text(
    page: Page, base: str, errors: list[str], tmp_path: Path
) -> None:
    path = write_file(
        tmp_path,
        {
            "format": "icbt-answers",
            "version": 1,
            "programme": {"id": "demo", "title": "Demo programme", "storage": "icbt/v1/demo/"},
            "items": {
                REVIEW: {"version": 1, "fields": {"went-well": {"a": 1}, "was-hard": "Monday"}},
                HABITS: {"fields": {"stay-in": "yes", "sleep-more": True, "other": ["x"]}},
            },
        },
    )
    load_file(page, base, "demo", path)
    expect(status(page)).to_contain_text("Loaded 2 saved items. Some items in the file were left")
    assert stored(page, REVIEW)["fields"] == {"was-hard": "Monday"}
    assert stored(page, HABITS)["fields"] == {"sleep-more": True}
    page.goto(base + "demo/en-GB/start/reflect/")
    expect(page.get_by_label("What went well?")).to_have_value("")
    expect(page.get_by_label("What was hard?")).to_have_value("Monday")
    page.goto(base + "demo/en-GB/start/welcome/")
    expect(page.get_by_label("I stay in")).not_to_be_checked()
    expect(page.get_by_label("I sleep more")).to_be_checked()
    expect(page.get_by_label("Something else")).to_have_value("")


def test_records_the_programme_does_not_have_are_not_loaded(
    page: Page, base: str, errors: list[str], tmp_path: Path
) -> None:
    path = write_file(
        tmp_path,
        {
            "format": "icbt-answers",
            "version": 1,
            "programme": {"id": "demo", "title": "Demo programme", "storage": "icbt/v1/demo/"},
            "items": {
                "icbt/v1/demo/exercise/no-such-exercise": {"fields": {"a": "b"}},
                "icbt/v1/demo/anything": {"x": 1},
                "elsewhere": {"fields": {}},
                MOOD: {"fields": {"rating": "7"}},
            },
        },
    )
    load_file(page, base, "demo", path)
    expect(status(page)).to_contain_text("Loaded 1 saved item. Some items")
    keys = page.evaluate("Object.keys(localStorage).sort()")
    assert keys == [MOOD]


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": "icbt-answers", "version": 2, "items": {}}',
        '{"format": "something", "version": 1, "items": {}}',
        '{"format": "icbt-answers", "version": 1, "items": []}',
        '{"format": "icbt-answers", "version": 1, "items": {}, "programme": "demo"}',
    ],
)
def test_a_file_that_is_not_an_export_is_refused(
    page: Page, base: str, errors: list[str], tmp_path: Path, content: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    load_file(page, base, "demo", path)
    expect(status(page)).to_have_text("That file is not an export of your answers.")
    assert page.evaluate("localStorage.length") == 0


def test_a_file_from_another_programme_loads_only_when_the_client_agrees(
    page: Page, base: str, errors: list[str], tmp_path: Path
) -> None:
    save_rating(page, base, "other", "10")
    made_in_other = export(page, base, "other", tmp_path)
    save_rating(page, base, "other", "20")  # the other programme's answers move on
    save_rating(page, base, "demo", "55")

    questions: list[str] = []

    def decline(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    load_file(page, base, "demo", made_in_other)
    expect(status(page)).to_have_text("Nothing was loaded.")
    assert questions == [
        "This file holds answers to Other programme, not to Demo programme. Load them into "
        "Demo programme anyway? Answers saved here that are newer than the file's are kept."
    ]
    assert stored(page, MOOD)["fields"]["rating"] == "55"
    assert stored(page, OTHER_MOOD)["fields"]["rating"] == "20"

    page.once("dialog", lambda dialog: dialog.accept())
    load_file(page, base, "demo", made_in_other)
    expect(status(page)).to_contain_text("Loaded")
    # Loaded into this programme, as the client chose, merged by time: the answer saved here
    # is newer than the file's and stays. The other programme is untouched.
    expect(status(page)).to_contain_text("1 answer saved here is newer than the file's")
    assert stored(page, MOOD)["fields"]["rating"] == "55"
    page.evaluate(f"localStorage.removeItem('{MOOD}')")
    page.once("dialog", lambda dialog: dialog.accept())
    load_file(page, base, "demo", made_in_other)
    expect(status(page)).to_have_text("Loaded 2 saved items.")
    assert stored(page, MOOD)["fields"]["rating"] == "10"
    assert stored(page, OTHER_MOOD)["fields"]["rating"] == "20"


def test_an_old_file_without_a_programme_loads_this_programmes_answers_only(
    page: Page, base: str, errors: list[str], tmp_path: Path
) -> None:
    path = write_file(
        tmp_path,
        {
            "format": "icbt-answers",
            "version": 1,
            "items": {MOOD: {"fields": {"rating": "3"}}, OTHER_MOOD: {"fields": {"rating": "4"}}},
        },
    )
    load_file(page, base, "demo", path)
    expect(status(page)).to_contain_text("Loaded 1 saved item.")
    assert stored(page, MOOD)["fields"]["rating"] == "3"
    assert stored(page, OTHER_MOOD) is None
    load_file(
        page,
        base,
        "demo",
        write_file(
            tmp_path,
            {
                "format": "icbt-answers",
                "version": 1,
                "items": {OTHER_MOOD: {"fields": {}}},
            },
        ),
    )
    expect(status(page)).to_have_text("That file holds no answers to Demo programme.")
    assert stored(page, OTHER_MOOD) is None


def test_migrations_apply_to_a_file_before_it_is_checked(
    page: Page, basic_project: Path, serve: Callable[[Path], str], tmp_path: Path
) -> None:
    reflect = basic_project / "programmes/demo/modules/start/02-reflect.md"
    reflect.write_text(reflect.read_text().replace("id: was-hard", "id: was-difficult"))
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(
        manifest.read_text() + "migrations:\n  - exercise: week-review\n"
        "    fields: {was-hard: was-difficult}\n"
    )
    assert build_site(basic_project, basic_project / "site").ok
    base = serve(basic_project / "site")
    path = write_file(
        tmp_path,
        {
            "format": "icbt-answers",
            "version": 1,
            "items": {
                REVIEW: {"version": 1, "fields": {"went-well": "a walk", "was-hard": "Monday"}}
            },
        },
    )
    load_file(page, base, "demo", path)
    expect(status(page)).to_have_text("Loaded 1 saved item.")
    assert stored(page, REVIEW)["fields"] == {"went-well": "a walk", "was-difficult": "Monday"}


# -- export and delete: this programme only ----------------------------------------------------


def test_export_holds_this_programme_only_and_fits_its_schema(
    page: Page, base: str, two_programmes: Path, errors: list[str], tmp_path: Path
) -> None:
    save_rating(page, base, "other", "20")
    save_rating(page, base, "demo", "55")
    page.goto(base + "demo/en-GB/start/welcome/")
    page.get_by_label("I sleep more").check()
    page.get_by_label("Something else").fill("I call my sister")
    page.locator("form[data-exercise='habits'] button[type=submit]").click()
    path = export(page, base, "demo", tmp_path)
    assert path.name == "my-answers-demo.json"
    data = json.loads(path.read_text())
    assert data["programme"] == {
        "id": "demo",
        "title": "Demo programme",
        "storage": "icbt/v1/demo/",
    }
    assert sorted(data["items"]) == [HABITS, MOOD, PROGRESS]
    programme = load_programme(two_programmes / "programmes/demo")
    jsonschema.Draft202012Validator(answers_file_schema(programme)).validate(data)
    expect(page.locator("main")).to_contain_text(
        "The file holds your answers to Demo programme only"
    )


def test_delete_removes_this_programmes_answers_only_and_says_so(
    page: Page, base: str, errors: list[str]
) -> None:
    save_rating(page, base, "other", "20")
    save_rating(page, base, "demo", "55")
    page.goto(base + "demo/en-GB/answers/")
    expect(page.locator("main")).to_contain_text(
        "This deletes your answers to Demo programme from this device. Answers to other "
        "programmes on this site are kept."
    )
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Delete all my answers").click()
    expect(status(page)).to_have_text(
        "Your answers to Demo programme were deleted from this device."
    )
    assert questions == [
        "Delete all your answers to Demo programme from this device? This cannot be undone."
    ]
    assert stored(page, MOOD) is None
    assert stored(page, OTHER_MOOD)["fields"]["rating"] == "20"
