"""Inline checks: markup kept and closed, no HTML of any kind, no invisible controls.

Each row is a translator's mistake, written into the fixture project's French catalog; the check
must report it with its code at the PO file and the line of the translation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_helpers import entry, set_translation

from icbt_content.i18n.checks import check_message
from icbt_content.i18n.workflow import check

FR = "locales/fr/demo.po"
TASKS = "start/welcome#how-it-works.p1"  # Read each page. Try the *tasks*. Save your answers...
ONE = "start/welcome#how-it-works.li1"  # Read a page each day.
STRONG = "start/welcome#how-it-works.li2"  # Try **one** task.

CASES = [
    # (msgctxt, bad translation, code, what the translator did)
    (STRONG, "Essayez **une tâche.", "ICBT617", "strong left open"),
    (STRONG, "Essayez une** tâche.", "ICBT617", "strong closed only"),
    (TASKS, "Lisez chaque page. Essayez les *tâches. Enregistrez.", "ICBT617", "emphasis open"),
    (STRONG, "Essayez `une tâche.", "ICBT617", "code span left open"),
    (STRONG, "Essayez ~~une tâche.", "ICBT617", "strikethrough left open"),
    (STRONG, "Essayez **une** `tâche`.", "ICBT616", "code span added"),
    (STRONG, "Essayez une tâche.", "ICBT616", "strong dropped"),
    (STRONG, "Essayez *une* tâche.", "ICBT616", "strong written as emphasis"),
    (ONE, "Lisez **une page** par jour.", "ICBT616", "strong added"),
    (ONE, "Lisez <svg onload=alert(1)> une page.", "ICBT605", "svg with an event handler"),
    (ONE, "Lisez <svg/onload=alert(1)> une page.", "ICBT605", "tag without a space"),
    (ONE, "Lisez <details open>une page</details>.", "ICBT605", "harmless-looking tag"),
    (ONE, "Lisez <custom-element>une page.", "ICBT605", "custom element"),
    (ONE, "Lisez une page <!-- note --> par jour.", "ICBT605", "HTML comment"),
    (ONE, "Lisez une page<?php echo 1 ?>.", "ICBT605", "processing instruction"),
    (ONE, "Lisez une page\u200b par jour.", "ICBT607", "zero-width space"),
    (ONE, "Lisez une page\u200e par jour.", "ICBT607", "left-to-right mark"),
    (ONE, "Lisez une page\u200f par jour.", "ICBT607", "right-to-left mark"),
    (ONE, "Lisez une page\u061c par jour.", "ICBT607", "Arabic letter mark"),
    (ONE, "\ufeffLisez une page par jour.", "ICBT607", "byte order mark"),
    (ONE, "Lisez une page\u202a par jour.", "ICBT607", "left-to-right embedding"),
    (ONE, "Lisez une page\u2066 par jour.\u2069", "ICBT607", "isolate"),
]


@pytest.mark.parametrize(
    ("context", "bad", "code"), [c[:3] for c in CASES], ids=[c[3] for c in CASES]
)
def test_inline_check_points_at_the_translation(
    project: Path, context: str, bad: str, code: str
) -> None:
    po = project / FR
    set_translation(po, context, bad)
    found = [d for d in check(project, ["fr"]) if d.code == code]
    assert found, [d.format() for d in check(project, ["fr"])]
    assert (found[0].file, found[0].line) == (FR, entry(po, context).msgstr_line)
    assert found[0].severity == "error"


HARMLESS = [
    # (source, translation, why it is fine)
    ("Try **one** task.", "一次只試**一個。**然後休息。", "strong closing after CJK punctuation"),
    ("Try *this*.", "試試*「這個」*。", "emphasis around corner brackets"),
    ("Run `icbt build`.", "執行`icbt build`。", "code span next to Chinese"),
    ("Use snake_case names.", "使用 snake_case 名稱。", "underscore inside a word"),
    ("Press \\* to skip.", "按 \\* 跳過。", "escaped asterisk kept"),
    ("Use a<b only in maths.", "只在數學用 a < b。", "a less-than sign"),
    ("See <https://example.org>.", "見 <https://example.org>。", "autolink"),
    ("Use `<br>` in code.", "在代碼中用 `<br>`。", "a tag inside a code span"),
]


@pytest.mark.parametrize(
    ("source", "translation"), [h[:2] for h in HARMLESS], ids=[h[2] for h in HARMLESS]
)
def test_harmless_translations_pass(source: str, translation: str) -> None:
    assert check_message(source, translation) == []
