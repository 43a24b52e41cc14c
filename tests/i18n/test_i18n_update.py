"""Updating catalogs: unchanged text keeps its translation; changed text shows what changed."""

from __future__ import annotations

from pathlib import Path

from i18n_helpers import entry, replace_in

from icbt_content.i18n.coverage import coverage
from icbt_content.i18n.workflow import update

WELCOME = "programmes/demo/modules/start/01-welcome.md"


def _row(project: Path, locale: str, unit: str):  # type: ignore[no-untyped-def]
    item = next(c for c in coverage(project, [locale]) if c.domain == "demo")
    return next(r for r in item.rows if r.unit == unit)


def test_changed_paragraph_needs_review_with_the_old_text(project: Path) -> None:
    replace_in(project / WELCOME, "Read each page.", "Read every page slowly.")
    update(project, ["fr"])
    po = project / "locales/fr/demo.po"
    changed = entry(po, "start/welcome#how-it-works.p1")
    assert changed.fuzzy
    assert changed.msgid.startswith("Read every page slowly.")
    assert changed.previous_id == "Read each page. Try the *tasks*. Save your answers as you go."
    assert changed.msgstr.startswith("Lisez chaque page.")
    assert '#| msgid "Read each page.' in po.read_text(encoding="utf-8")
    row = _row(project, "fr", "start")
    assert row.review == 1 and not row.published


def test_fuzzy_translations_are_never_published(project: Path) -> None:
    from icbt_content.pipeline import build_site

    replace_in(project / WELCOME, "Read each page.", "Read every page slowly.")
    update(project, ["fr"])
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    page = (project / "site/demo/fr/start/welcome/index.html").read_text(encoding="utf-8")
    assert "Lisez chaque page" not in page
    assert "Read every page slowly." in page  # the whole module is served in the source


def test_unchanged_and_moved_text_keeps_its_translation(project: Path) -> None:
    replace_in(
        project / WELCOME,
        "Welcome to the programme.",
        "A new paragraph.\n\nWelcome to the programme.",
    )
    results = update(project, ["fr"])
    po = project / "locales/fr/demo.po"
    moved = entry(po, "start/welcome.p2")
    assert moved.msgstr.startswith("Bienvenue dans le programme") and not moved.fuzzy
    assert entry(po, "start/welcome#how-it-works").msgstr == "Comment ça marche"
    new = entry(po, "start/welcome.p1")
    assert new.msgstr == "" and not new.fuzzy and new.previous_id is None
    assert any(r.report.moved == 1 for r in results)


def test_no_fuzzy_guesses_unless_asked(project: Path) -> None:
    # A sentence with a new key and slightly different words: not the same text.
    replace_in(project / WELCOME, "Sam is a bus driver.", "Sam is a bus driver now.")
    replace_in(project / WELCOME, "{#sam-starts}", "{#sam-begins}")
    update(project, ["fr"])
    po = project / "locales/fr/demo.po"
    assert entry(po, "start/welcome.box.sam-begins.p1").msgstr == ""
    update(project, ["fr"], fuzzy_matching=True)
    guessed = entry(po, "start/welcome.box.sam-begins.p1")
    assert guessed.fuzzy and guessed.msgstr.startswith("Sam est chauffeur")
    assert guessed.previous_id == "Sam is a bus driver. He reads one page each day on his break."


def test_removed_text_is_kept_as_obsolete(project: Path) -> None:
    replace_in(project / WELCOME, "- Read a page each day.\n", "")
    update(project, ["fr"])
    text = (project / "locales/fr/demo.po").read_text(encoding="utf-8")
    assert '#~ msgstr "Lisez une page par jour."' in text
