"""The validate stage runs on each locale as it is published (after the localise stage): a
problem a translation brings is reported at its entry in the catalog, a problem of the source
once, however many locales copy it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from i18n_helpers import entry, replace_in, set_translation

from icbt_content.diagnostics import Diagnostic
from icbt_content.i18n.catalog import load_po, save_po
from icbt_content.i18n.workflow import init
from icbt_content.pipeline.check import check_programme_in_locales
from icbt_content.readability import flesch_reading_ease

LOCALE = "en-US"
PO = f"locales/{LOCALE}/demo.po"
WELCOME = "programmes/demo/modules/start/01-welcome.md"
#: Long words in long sentences: a Flesch reading ease far below 60.
HARD = (
    "Notwithstanding considerable organisational heterogeneity, multidimensional "
    "psychotherapeutic interventions characteristically necessitate individualised "
    "conceptualisation, systematic operationalisation and comprehensive documentation of "
    "physiological, cognitive and behavioural manifestations, notwithstanding "
    "institutional considerations regarding interdisciplinary collaboration."
)


def _english_locale(project: Path) -> Path:
    """A second English locale whose catalog says every message as the source does."""
    shutil.copytree(project / "locales" / "en-GB", project / "locales" / LOCALE)
    init(project, LOCALE, ["demo"])
    po = project / PO
    catalog, problems = load_po(po, PO)
    assert catalog is not None and not problems
    for item in catalog.entries:
        item.msgstr = item.msgid
        item.flags.discard("fuzzy")
    save_po(catalog, po)
    return po


def _problems(project: Path) -> tuple[list[str], list[Diagnostic]]:
    checked = check_programme_in_locales(project / "programmes" / "demo", project)
    found = [*checked.loaded.diagnostics, *checked.localise_problems, *checked.locale_problems]
    return [lp.locale.code for lp in checked.localised], found


def test_a_translation_hard_to_read_is_reported_in_its_catalog(project: Path) -> None:
    po = _english_locale(project)
    set_translation(po, "start/welcome.p1", HARD)
    locales, found = _problems(project)
    assert LOCALE in locales
    hard = [d for d in found if d.code == "ICBT305"]
    assert [(d.file, d.line) for d in hard] == [(PO, entry(po, "start/welcome.title").msgstr_line)]
    assert "page 'welcome'" in hard[0].message


def test_a_problem_of_the_source_is_reported_once(project: Path) -> None:
    replace_in(
        project / WELCOME,
        "Welcome to the programme. It has short pages,\nand you can go at your own pace.",
        HARD,
    )
    _english_locale(project)
    locales, found = _problems(project)
    assert locales[0] == "en-GB" and LOCALE in locales and len(locales) >= 3
    hard = [d for d in found if d.code == "ICBT305"]
    assert [d.file for d in hard] == [WELCOME]


#: The welcome page's first paragraph, broken across lines where no punctuation parts the words.
BROKEN = "Welcome to the programme. It has short pages\nand you can go\\\nat your own pace."


@pytest.mark.parametrize(
    "translated",
    [
        "Welcome to the programme. It has short pages and you can go at your own pace.",
        "Welcome to the programme.\nIt has short pages and you\ncan go at your own pace.",
    ],
)
def test_the_same_words_read_as_easily_in_the_source_and_in_a_translation(
    project: Path, translated: str
) -> None:
    """A line break parts two words wherever the text comes from (ICBT305 scores the same)."""
    replace_in(
        project / WELCOME,
        "Welcome to the programme. It has short pages,\nand you can go at your own pace.",
        BROKEN,
    )
    po = _english_locale(project)
    set_translation(po, "start/welcome.p1", translated)
    checked = check_programme_in_locales(project / "programmes" / "demo", project)
    english = next(lp for lp in checked.localised if lp.locale.code == LOCALE)
    source = checked.loaded.page_text[WELCOME]
    assert WELCOME in english.page_text, "the translation's own text is read"
    assert english.page_text[WELCOME] == source
    assert flesch_reading_ease(english.page_text[WELCOME]) == flesch_reading_ease(source)
