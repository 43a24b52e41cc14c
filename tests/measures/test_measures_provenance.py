"""Measure wording is served only from where it may come: no stale translation, no shadowing."""

from __future__ import annotations

import shutil
from pathlib import Path

from measure_helpers import FIXTURES, REPO, builtin

from icbt_content.measures import load_measure, localise_measure, resolve_measures, wording_hash
from icbt_content.model.measure import Measure, MeasureItem
from icbt_content.pipeline import build_site

LOCALE = "qps-ploc"
TRANSLATED = FIXTURES / "translated"
TRANSLATION = "locales/qps-ploc/measures/phq9.yaml"


def _reworded(measure: Measure, item_id: str, text: str) -> Measure:
    items = tuple(
        MeasureItem.model_validate({**i.model_dump(), "text": text}) if i.id == item_id else i
        for i in measure.items
    )
    return measure.model_copy(update={"items": items})


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


# Stale translations (issue 10, defect 4) -------------------------------------------------


def test_a_translation_records_the_wording_it_was_made_from() -> None:
    phq9 = builtin("phq9")
    translated, found = localise_measure(phq9, TRANSLATED, LOCALE)
    assert found == [] and translated.language == LOCALE
    text = (TRANSLATED / TRANSLATION).read_text(encoding="utf-8")
    assert f'source_hash: "{wording_hash(phq9)}"' in text


def test_changed_source_wording_stops_the_translation_being_served() -> None:
    changed = _reworded(builtin("phq9"), "q1", "Little interest or pleasure in doing anything")
    result, found = localise_measure(changed, TRANSLATED, LOCALE)
    assert result is changed  # the English, never the old translation of other words
    assert [(d.code, d.severity, d.file, d.line) for d in found] == [
        ("ICBT414", "warning", TRANSLATION, _line_of(TRANSLATED / TRANSLATION, "source_hash:"))
    ]
    assert f"'source_hash: \"{wording_hash(changed)}\"'" in found[0].hint


def test_a_translation_without_a_source_hash_is_not_served(tmp_path: Path) -> None:
    target = tmp_path / TRANSLATION
    target.parent.mkdir(parents=True)
    text = (TRANSLATED / TRANSLATION).read_text(encoding="utf-8")
    target.write_text(
        "\n".join(x for x in text.splitlines() if not x.startswith("source_hash:")) + "\n",
        encoding="utf-8",
    )
    phq9 = builtin("phq9")
    result, found = localise_measure(phq9, tmp_path, LOCALE)
    assert result is phq9
    assert [(d.code, d.line) for d in found] == [("ICBT414", _line_of(target, "measure:"))]
    assert "does not record the wording it was made from" in found[0].message


def test_sample_translations_follow_their_source() -> None:
    weekly, _ = load_measure(REPO / "programmes/sad/measures/sad-weekly.yaml", REPO)
    assert weekly is not None
    for locale in ("zh-Hant-HK", "ar"):
        translated, found = localise_measure(weekly, REPO, locale)
        assert found == [] and translated.language == locale
        changed = _reworded(weekly, "avoidance", "How often did you avoid other people?")
        result, found = localise_measure(changed, REPO, locale)
        assert result is changed
        assert [(d.code, d.file) for d in found] == [
            ("ICBT414", f"locales/{locale}/measures/sad-weekly.yaml")
        ]


def test_a_stale_translation_is_reported_and_the_page_keeps_the_source_words(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES.parent / "i18n" / "project", project)
    translation = project / "locales/fr/measures/phq9.yaml"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(
        text.replace(wording_hash(builtin("phq9")), "0000000000000000"),
        encoding="utf-8",
    )
    report = build_site(project, project / "site")
    assert report.ok
    stale = [d for d in report.diagnostics if d.code == "ICBT414"]
    assert [(d.file, d.line) for d in stale] == [
        ("locales/fr/measures/phq9.yaml", _line_of(translation, "source_hash:"))
    ]
    page = (project / "site/demo/fr/start/reflect/index.html").read_text(encoding="utf-8")
    assert "Lîttlé" not in page
    assert '<legend lang="en">Little interest or pleasure in doing things</legend>' in page
    assert not build_site(project, project / "strict", strict=True).ok


# A local measure cannot replace a built-in one (issue 10, defect 5) -----------------------

SERVICE = FIXTURES / "service"
SHADOW = """\
# Not SPIN's wording: placeholders. A programme measure with a built-in measure's id.
id: spin
title: Our own social anxiety questions
role: disorder-specific
language: en
licence: own
option_sets:
  - id: distress
    min: 0
    max: 4
    options:
      - {value: 0, label: Placeholder answer 0}
      - {value: 1, label: Placeholder answer 1}
      - {value: 2, label: Placeholder answer 2}
      - {value: 3, label: Placeholder answer 3}
      - {value: 4, label: Placeholder answer 4}
items:
  - id: q1
    text: Placeholder question published in place of the licensed one
"""


def test_a_programme_measure_cannot_shadow_a_built_in_one(tmp_path: Path) -> None:
    project = tmp_path / "service"
    shutil.copytree(SERVICE, project)
    demo = project / "programmes" / "demo"
    (demo / "measures" / "spin.yaml").write_text(SHADOW, encoding="utf-8")
    measures, found = resolve_measures(
        demo, project, ["phq9", "spin"], used_on_pages={"spin"}, locale="en-GB"
    )
    assert [(d.code, d.file, d.line) for d in found] == [
        ("ICBT415", "programmes/demo/measures/spin.yaml", 2),
        ("ICBT410", "programmes/demo/programme.yaml", 9),
    ]
    spin = next(m for m in measures if m.id == "spin")
    # The built-in SPIN, still without wording and still refused on a page.
    assert spin.licence == "permission-required" and spin.needs_wording
    assert all(not item.text for item in spin.items)
