"""What reaches the page: no literal Markdown, and every text marked with its own language.

The sample sites are built once; each Chinese and Arabic page is read as a browser reads it, with
the language each run of text is marked with. The signal for "written in the source language" is
reliable: the source texts of the messages the catalogs leave untranslated.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from i18n_helpers import set_translation
from page_text import page_texts, unmarked, untranslated

from icbt_content.i18n.interface import NOTICE
from icbt_content.pipeline import build_site

REPO = Path(__file__).parent.parent.parent
FIXTURE = Path(__file__).parent.parent / "fixtures" / "i18n" / "project"
LITERAL_MARKDOWN = re.compile(r"\*\*|__|`|\]\(")
TRANSLATED = [
    # (site folder, locale, catalogs of the locale that fill its pages)
    ("sad/zh-Hant-HK", "zh-Hant-HK", ("interface", "sad")),
    ("ptsd/zh-Hant-HK", "zh-Hant-HK", ("interface", "ptsd")),
    ("sad/ar", "ar", ("interface", "sad")),
]


@pytest.mark.parametrize("folder", [t[0] for t in TRANSLATED])
def test_no_literal_markdown_reaches_the_page(sample_site: Path, folder: str) -> None:
    site = sample_site / folder
    found = [
        f"{page.relative_to(site)}: {item.text[:80]}"
        for page in sorted(site.rglob("*.html"))
        for item in page_texts(page)
        if LITERAL_MARKDOWN.search(item.text)
    ]
    assert found == []


@pytest.mark.parametrize(("folder", "locale", "catalogs"), TRANSLATED)
def test_no_source_language_text_is_marked_as_translated(
    sample_site: Path, folder: str, locale: str, catalogs: tuple[str, ...]
) -> None:
    texts = [t for name in catalogs for t in untranslated(REPO / "locales" / locale / f"{name}.po")]
    assert texts, "the catalogs leave nothing untranslated: the test looks for nothing"
    assert unmarked(sample_site / folder, locale, texts) == []


def test_arabic_therapist_notes_are_marked_english_left_to_right(sample_site: Path) -> None:
    page = (sample_site / "sad/ar/therapist/attention-training/index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<div lang="en-GB" dir="ltr">\n<h2 id="what-this-module-is-for">' in page


@pytest.fixture(scope="module")
def partly_translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's French: the 'practice' module, the programme's title and some
    interface strings untranslated, "Modules" translated as itself."""
    project = tmp_path_factory.mktemp("partly") / "project"
    shutil.copytree(FIXTURE, project)
    for text in ("My answers", "Previous", "Next", NOTICE):
        set_translation(project / "locales/fr/interface.po", None, "", msgid=text)
    set_translation(project / "locales/fr/demo.po", "programme:title", "")
    report = build_site(project, project / "site")
    assert report.written, [d.format() for d in report.diagnostics]
    return project


def test_partly_translated_locale_marks_every_source_text(partly_translated: Path) -> None:
    locales = partly_translated / "locales/fr"
    texts = untranslated(locales / "interface.po") + untranslated(locales / "demo.po")
    assert {"My answers", "Try it out", "Demo programme"} <= set(texts)
    site = partly_translated / "site/demo/fr"
    assert unmarked(site, "fr", texts) == []
    home = (site / "index.html").read_text("utf-8")
    assert '<a href="answers/"><span lang="en">My answers</span></a>' in home
    # Translated as itself, and so French: not marked.
    assert '<h2 class="nav-title">Modules</h2>' in home
    assert '<h1><span lang="en-GB">Demo programme</span></h1>' in home
    assert "<title>Demo programme – Demo programme</title>" in home
    reflect = (site / "start/reflect/index.html").read_text("utf-8")
    # The next page is in a module served in English: its title in the pager says so.
    assert (
        '<span class="pager-label"><span lang="en">Next</span></span> '
        '<span lang="en-GB">Try it out</span>'
    ) in reflect


def test_fallback_notice_names_languages_in_its_own_language(partly_translated: Path) -> None:
    page = (partly_translated / "site/demo/fr/practice/try-it/index.html").read_text("utf-8")
    assert '<html lang="en-GB" dir="ltr">' in page
    assert (
        '<span lang="en" dir="ltr">This module is not yet available in French. It is shown in '
        "English until its translation is finished.</span>"
    ) in page


def test_translated_fallback_notice_is_french(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    build_site(project, project / "site")
    page = (project / "site/demo/fr/practice/try-it/index.html").read_text("utf-8")
    notice = '<span lang="fr" dir="ltr">Ce module n&#39;est pas encore disponible en français.'
    assert notice in page
    assert "Il est affiché en anglais" in page


#: Letters of the translated languages: a reliable sign of their text (English has none).
SCRIPT = {
    "zh-Hant-HK": re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
}


@pytest.mark.parametrize(("folder", "locale", "catalogs"), TRANSLATED)
def test_no_translated_text_is_marked_as_the_source_language(
    sample_site: Path, folder: str, locale: str, catalogs: tuple[str, ...]
) -> None:
    site = sample_site / folder
    found = [
        f"{page.relative_to(site)}: <{item.element} lang={item.lang}> {item.text[:70]}"
        for page in sorted(site.rglob("*.html"))
        for item in page_texts(page)
        if item.lang.split("-")[0] == "en" and SCRIPT[locale].search(item.text)
    ]
    assert found == []
