"""Each check catches its problem, pointing at the PO file and the line of the translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_helpers import entry, set_translation

from icbt_content.i18n.workflow import check
from icbt_content.pipeline import build_site

FR = "locales/fr/demo.po"
UI = "locales/fr/interface.po"

CASES = [
    # (catalog, msgctxt or None, msgid for interface strings, bad translation, code)
    (UI, None, "Module {module} of {modules}", "Module {Modul} sur {modules}", "ICBT602"),
    (
        UI,
        None,
        "Module {module} of {modules}",
        "Module {module.__class__} sur {modules}",
        "ICBT602",
    ),
    (FR, "guidance:welcome.p1", None, "Bonjour {{ client.last_name }},", "ICBT602"),
    (
        FR,
        "start/welcome#how-it-works.p3",
        None,
        "Voyez [la page](../practice/01-try-it.md).",
        "ICBT603",
    ),
    (FR, "start/welcome#how-it-works.p1", None, "# Lisez chaque page.", "ICBT604"),
    (FR, "start/welcome#how-it-works.p1", None, "Lisez.\n\nEssayez.", "ICBT604"),
    (FR, "start/welcome.p1", None, "Bienvenue <script>alert(1)</script>", "ICBT605"),
    (FR, "start/welcome.title", None, 'Bienvenue <img src=x onerror="alert(1)">', "ICBT605"),
    (FR, "start/welcome#how-it-works.p3", None, "Voyez [la page](javascript:alert(1)).", "ICBT606"),
    (FR, "start/welcome.p1", None, "Bienvenue \u202edans le programme", "ICBT607"),
    (FR, "start/welcome.p1", None, "Bienvenue \u2067dans le programme\u2069", "ICBT607"),
    (
        FR,
        "guidance:welcome.p2",
        None,
        'Je suis {{ therapist.name }}. Vous avez fait {{ plural(exercises_done|length, "un '
        'exercice") }}.',
        "ICBT608",
    ),
]


@pytest.mark.parametrize(("catalog", "context", "msgid", "bad", "code"), CASES)
def test_check_points_at_the_translation(
    project: Path, catalog: str, context: str | None, msgid: str | None, bad: str, code: str
) -> None:
    po = project / catalog
    set_translation(po, context, bad, msgid=msgid)
    line = _msgstr_line(po, context, msgid)
    found = [d for d in check(project, ["fr"]) if d.code == code]
    assert found, [d.format() for d in check(project, ["fr"])]
    assert (found[0].file, found[0].line) == (catalog, line)
    assert found[0].severity == "error"


def _msgstr_line(po: Path, context: str | None, msgid: str | None) -> int:
    if context is not None:
        return entry(po, context).msgstr_line
    from icbt_content.i18n.catalog import load_po

    catalog, _ = load_po(po, po.name)
    return next(e.msgstr_line for e in catalog.entries if e.msgid == msgid)


def test_missing_plural_forms_in_a_catalog(project: Path) -> None:
    po = project / "locales/ar/interface.po"
    text = po.read_text(encoding="utf-8")
    text += '\nmsgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "يوم"\nmsgstr[1] "يومان"\n'
    po.write_text(text, encoding="utf-8")
    found = [d for d in check(project, ["ar"]) if d.code == "ICBT608"]
    assert found and found[0].file == "locales/ar/interface.po"
    assert found[0].line == len(text.rstrip("\n").split("\n")) - 1
    assert "6 plural form(s)" in found[0].message


def test_wrong_plural_forms_header(project: Path) -> None:
    po = project / "locales/ar/demo.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index("\n", text.index(";\\n", start))
    po.write_text(text[:start] + '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' + text[end:])
    found = [d for d in check(project, ["ar"]) if d.code == "ICBT608"]
    assert found and found[0].file == "locales/ar/demo.po" and "nplurals=2" in found[0].message


def test_a_good_catalog_passes(project: Path) -> None:
    assert [d for d in check(project) if d.severity == "error"] == []


def test_injected_markup_never_reaches_the_page(project: Path) -> None:
    fr = project / FR
    set_translation(fr, "start/welcome.p1", "Bienvenue <script>alert(1)</script> ici.")
    set_translation(fr, "start/welcome#how-it-works.p3", "Voyez [la page](javascript:alert(1)).")
    report = build_site(project, project / "site")
    codes = {d.code for d in report.diagnostics.errors}
    assert {"ICBT605", "ICBT606"} <= codes
    assert not report.ok and not (project / "site").exists()


def test_unchecked_markup_is_escaped_anyway() -> None:
    """Even a translation that skipped the checks is rendered as text, never as markup."""
    from icbt_content.i18n.segments import Scope, Segmenter
    from icbt_content.markdown import render_markdown

    evil = "Hi <script>alert(1)</script> [x](javascript:alert(1)) ![y](javascript:z)"
    rebuilt = Segmenter(lambda s: evil).markdown("Hello [x](../a.md).", Scope("p"), 1)
    html = render_markdown(rebuilt)
    assert (
        "<script" not in html and 'href="javascript' not in html and 'src="javascript' not in html
    )
    assert "&lt;script&gt;" in html
