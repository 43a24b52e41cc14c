""" "Keep a copy" in chromium: the zip downloads, opens from the disk, navigates by file links,
and holds the client's record as "My answers" writes it (record.js), escaped."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

# "$&" would be a pattern to String.replace if the answers were handed to it as a string.
ANSWER = '<b>a walk</b> & "tea" <script>alert(1)</script> costs $& more'
PHQ9 = "icbt/v1/sad/measure/phq9"
PHQ9_RESULTS = {
    "results": [
        {
            "date": "2026-10-01T09:00:00.000Z",
            "answers": {},
            "total": 17,
            "band": "moderately-severe",
        },
        {"date": "2026-10-15T09:00:00.000Z", "answers": {}, "total": 6, "band": "mild"},
    ]
}


@pytest.fixture
def site_url(basic_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(basic_site) + "demo/en-GB/"


def _download(page: Page, site_url: str, folder: Path, name: str = "demo-en-GB") -> Path:
    page.goto(site_url + "answers/")
    with page.expect_download() as download:
        page.locator("[data-icbt-keep-a-copy]").click()
    if name == "demo-en-GB":
        expect(page.locator("[data-icbt-keep-a-copy-status]")).to_have_text(
            "Your copy was saved as a file."
        )
    assert download.value.suggested_filename == f"{name}.zip"
    path = folder / "copy.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None, "every entry reads back whole"
        archive.extractall(folder / "copy")
    return folder / "copy" / name


def test_the_copy_opens_from_the_disk_with_the_answers(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(site_url + "start/reflect/")
    page.get_by_label("What went well?").fill(ANSWER)
    page.locator("form[data-exercise='week-review'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='week-review'] .save-status")).to_have_text(
        "Saved on this device."
    )
    copy = _download(page, site_url, tmp_path)
    assert not list(copy.rglob("*.js")), "no scripts in the copy"
    assert not (copy / "demo/en-GB/therapist").exists(), "no therapist guide"
    page.goto(copy.joinpath("index.html").as_uri())
    expect(page).to_have_url(copy.joinpath("demo/en-GB/index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px", "styled"
    page.get_by_role("link", name="Getting started").first.click()
    expect(page).to_have_url(copy.joinpath("demo/en-GB/start/index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Getting started")
    page.get_by_role("link", name="My answers").click()
    expect(page).to_have_url(copy.joinpath("demo/en-GB/answers/index.html").as_uri())
    answers = page.locator("main")
    expect(answers.get_by_role("heading", name="Your week")).to_be_visible()
    expect(answers.locator("dt")).to_have_text(["What went well?"])
    expect(answers.locator("dd")).to_have_text([ANSWER])
    assert answers.locator("b, script").count() == 0, "the answer is text, never markup"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_copy_without_answers_says_so(page: Page, site_url: str, tmp_path: Path) -> None:
    copy = _download(page, site_url, tmp_path)
    page.goto(copy.joinpath("demo/en-GB/answers/index.html").as_uri())
    expect(page.locator("main")).to_contain_text("You have not saved any answers yet.")


def test_the_offer_passes_axe(page: Page, site_url: str) -> None:
    page.goto(site_url + "answers/")
    expect(page.get_by_role("heading", name="Keep a copy")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_repeatable_exercise_keeps_every_entry(
    page: Page, basic_project: Path, serve: Callable[[Path], str], tmp_path: Path
) -> None:
    reflect = basic_project / "programmes/demo/modules/start/02-reflect.md"
    reflect.write_text(
        reflect.read_text().replace("title: Your week\n", "title: Your week\nrepeatable: true\n")
    )
    assert build_site(basic_project, basic_project / "site").ok
    site_url = serve(basic_project / "site") + "demo/en-GB/"
    page.goto(site_url + "start/reflect/")
    form = page.locator("form[data-exercise='week-review']")
    for answer in ("First week", "Second week"):
        page.get_by_role("button", name="New entry").click()
        page.get_by_label("What went well?").fill(answer)
        form.locator("button[type=submit]").click()
        expect(form.locator(".save-status")).to_have_text("Saved on this device.")
    copy = _download(page, site_url, tmp_path)
    page.goto(copy.joinpath("demo/en-GB/answers/index.html").as_uri())
    # In the order "My answers" lists them: the oldest first.
    expect(page.locator("main dd")).to_have_text(["First week", "Second week"])


@pytest.mark.parametrize("locale", ["en-GB", "zh-Hant-HK", "ar"])
def test_the_copy_names_each_result_by_its_band_as_my_answers_does(
    page: Page, sample_site: Path, serve: Callable[[Path], str], tmp_path: Path, locale: str
) -> None:
    site_url = serve(sample_site) + f"sad/{locale}/"
    page.goto(site_url + "answers/")
    page.evaluate(
        "([key, raw]) => localStorage.setItem(key, raw)", [PHQ9, json.dumps(PHQ9_RESULTS)]
    )
    page.reload()
    bands = "[data-icbt-record] .record-measure tbody td:last-child"
    expect(page.locator(bands)).to_have_count(2)
    shown = page.locator(bands).all_text_contents()
    assert not {"moderately-severe", "mild"} & set(shown)
    if locale == "en-GB":
        assert shown == ["Moderately severe", "Mild"]
    copy = _download(page, site_url, tmp_path, f"sad-{locale}")
    page.goto(copy.joinpath(f"sad/{locale}/answers/index.html").as_uri())
    expect(page.locator("main .record-measure tbody td:last-child")).to_have_text(shown)
    expect(page.locator("main")).not_to_contain_text("moderately-severe")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
