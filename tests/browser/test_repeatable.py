"""Repeatable exercises in a real browser: dated entries added, edited, deleted, kept, migrated."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

KEY = "icbt/v1/demo/exercise/week-review"


@pytest.fixture
def reflect_url(basic_project: Path, serve: Callable[[Path], str]) -> str:
    page_file = basic_project / "programmes/demo/modules/start/02-reflect.md"
    page_file.write_text(
        page_file.read_text().replace("title: Your week\n", "title: Your week\nrepeatable: true\n")
    )
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return serve(basic_project / "site") + "demo/en-GB/start/reflect/"


def _entries(page: Page) -> list[dict[str, object]]:
    stored = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert stored["fields"] == {}
    entries: list[dict[str, object]] = stored["entries"]
    return entries


def _save(page: Page) -> None:
    page.locator("form[data-exercise='week-review'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='week-review'] .save-status")).to_have_text(
        "Saved on this device."
    )


def test_entries_are_added_listed_newest_first_edited_and_deleted(
    page: Page, reflect_url: str
) -> None:
    page.goto(reflect_url)
    listed = page.locator("[data-icbt-entry-list] li")
    expect(page.get_by_text("No entries yet.")).to_be_visible()
    page.get_by_label("What went well?").fill("A walk with   Sam\nin the park")
    _save(page)
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("A walk with Sam in the park")
    expect(page.get_by_text("No entries yet.")).to_be_hidden()

    page.get_by_role("button", name="New entry").click()
    expect(page.get_by_label("What went well?")).to_have_value("")
    expect(page.get_by_label("What went well?")).to_be_focused()
    page.get_by_label("What was hard?").fill("Monday meeting")
    _save(page)
    expect(listed).to_have_count(2)
    expect(listed.nth(0)).to_contain_text("Monday meeting")
    expect(listed.nth(1)).to_contain_text("A walk with Sam")
    assert len(_entries(page)) == 2

    # Edit the older entry: the form shows it, and a change updates it, not a new one.
    listed.nth(1).get_by_role("button", name="Edit").click()
    expect(page.get_by_label("What went well?")).to_have_value("A walk with   Sam\nin the park")
    page.get_by_label("What was hard?").fill("Rain")
    _save(page)
    entries = _entries(page)
    assert len(entries) == 2
    assert {e["fields"]["was-hard"] for e in entries} == {"Monday meeting", "Rain"}  # type: ignore[index]

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.reload()
    expect(listed).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    listed.nth(0).get_by_role("button", name="Delete").click()
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("A walk with Sam")
    expect(page.get_by_role("heading", name="Your entries")).to_be_focused()
    assert [e["fields"]["was-hard"] for e in _entries(page)] == ["Rain"]  # type: ignore[index]


def test_a_single_save_from_before_becomes_the_first_entry(page: Page, reflect_url: str) -> None:
    page.goto(reflect_url)
    page.evaluate(
        f"""localStorage.setItem('{KEY}', JSON.stringify({{version: 1,
             fields: {{'went-well': 'an old answer'}}, updated: '2026-11-01T10:00:00.000Z'}}))"""
    )
    page.reload()
    listed = page.locator("[data-icbt-entry-list] li")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("an old answer")
    entries = _entries(page)
    assert entries[0]["created"] == "2026-11-01T10:00:00.000Z"
    assert entries[0]["fields"] == {"went-well": "an old answer"}
    # The form is free for a new entry: the old answer is not typed over.
    expect(page.get_by_label("What went well?")).to_have_value("")


def test_export_and_import_keep_the_entries(page: Page, reflect_url: str, tmp_path: Path) -> None:
    page.goto(reflect_url)
    page.get_by_label("What went well?").fill("first")
    _save(page)
    page.get_by_role("button", name="New entry").click()
    page.get_by_label("What went well?").fill("second")
    _save(page)
    page.goto(reflect_url.replace("start/reflect/", "answers/"))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export my answers").click()
    exported = tmp_path / "answers.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert [e["fields"]["went-well"] for e in data["items"][KEY]["entries"]] == ["first", "second"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete all my answers").click()
    page.get_by_label("Choose a file you exported before").set_input_files(str(exported))
    expect(page.locator("#answers-status")).to_contain_text("Loaded")
    page.goto(reflect_url)
    expect(page.locator("[data-icbt-entry-list] li")).to_have_count(2)


def test_an_old_single_save_in_a_file_loads_as_an_entry(
    page: Page, reflect_url: str, tmp_path: Path
) -> None:
    old = {
        "format": "icbt-answers",
        "version": 1,
        "programme": {"id": "demo", "title": "Demo programme", "storage": "icbt/v1/demo/"},
        "items": {KEY: {"version": 1, "fields": {"went-well": "from the file"}}},
    }
    file = tmp_path / "old.json"
    file.write_text(json.dumps(old))
    page.goto(reflect_url.replace("start/reflect/", "answers/"))
    page.get_by_label("Choose a file you exported before").set_input_files(str(file))
    expect(page.locator("#answers-status")).to_contain_text("Loaded 1")
    page.goto(reflect_url)
    expect(page.locator("[data-icbt-entry-list] li")).to_have_count(1)
    expect(page.locator("[data-icbt-entry-list] li").first).to_contain_text("from the file")


def test_loading_a_file_keeps_entries_added_or_edited_since(
    page: Page, reflect_url: str, tmp_path: Path
) -> None:
    page.goto(reflect_url)
    page.get_by_label("What went well?").fill("first")
    _save(page)
    page.goto(reflect_url.replace("start/reflect/", "answers/"))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export my answers").click()
    exported = tmp_path / "answers.json"
    download_info.value.save_as(exported)

    # Since the export: the first entry edited, a second one added.
    page.goto(reflect_url)
    listed = page.locator("[data-icbt-entry-list] li")
    listed.first.get_by_role("button", name="Edit").click()
    page.get_by_label("What went well?").fill("first, edited")
    _save(page)
    page.get_by_role("button", name="New entry").click()
    page.get_by_label("What went well?").fill("second")
    _save(page)

    page.goto(reflect_url.replace("start/reflect/", "answers/"))
    page.get_by_label("Choose a file you exported before").set_input_files(str(exported))
    expect(page.locator("#answers-status")).to_contain_text("Loaded")
    page.goto(reflect_url)
    expect(listed).to_have_count(2)
    went_well = sorted(e["fields"]["went-well"] for e in _entries(page))  # type: ignore[index]
    assert went_well == ["first, edited", "second"]
