"""Source -> catalog -> site: translated pages, the same anchors, whole-module fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icbt_content.pipeline import build_site


@pytest.fixture
def site(project: Path) -> Path:
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    assert report.locales["demo"] == ["en-GB", "ar", "fr"]
    return project / "site" / "demo"


def _read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _html_tag(page: str) -> str:
    match = re.search(r"<html[^>]*>", page)
    assert match
    return match.group(0)


def _ids(page: str) -> list[str]:
    main = page[page.index("<main") : page.index("</main>")]
    return re.findall(r'<h[1-6][^>]* id="([^"]+)"', main)


def test_round_trip_source_to_site(site: Path) -> None:
    page = _read(site, "fr/start/welcome")
    assert _html_tag(page) == '<html lang="fr" dir="ltr">'
    assert "Bienvenue dans le programme." in page
    assert "<em>tâches</em>" in page and "<strong>une</strong>" in page
    assert "<td>Lundi</td>" in page
    assert 'alt="Un cercle de flèches qui montre un cycle"' in page
    assert "Je dors plus" in page  # an exercise label
    assert "Autre chose" in page  # a built-in label, from the interface catalog
    assert 'href="../../practice/try-it/#before-you-start"' in page
    assert "Welcome to the programme" not in page


def test_heading_anchors_are_the_same_in_every_language(site: Path) -> None:
    english = _ids(_read(site, "en-GB/start/welcome"))
    assert "how-it-works" in english
    assert _ids(_read(site, "fr/start/welcome")) == english
    assert _ids(_read(site, "ar/start/welcome")) == english


def test_rtl_locale_sets_direction_and_names_languages_in_themselves(site: Path) -> None:
    page = _read(site, "ar/start/welcome")
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert ">العربية</a>" in page and ">français</a>" in page and ">English (UK)</a>" in page
    assert "الوحدة 1 من 2، الصفحة 1 من 2" in page  # interface string with placeholders


def test_dates_are_written_the_locale_way(site: Path) -> None:
    assert "27 نوفمبر 2026" in _read(site, "ar/crisis")
    assert "27 novembre 2026" in _read(site, "fr/crisis")
    assert "27 November 2026" in _read(site, "en-GB/crisis")


def test_untranslated_module_falls_back_whole_with_a_notice(site: Path) -> None:
    page = _read(site, "ar/practice/try-it")
    assert _html_tag(page) == '<html lang="en-GB" dir="ltr">'
    notice = re.search(r'<p class="notice" role="note">(.*?)</p>', page)
    assert notice and notice.group(1).startswith('<span lang="ar" dir="rtl">هذه الوحدة غير متاحة')
    assert "This page asks about hard memories." in page
    assert "The situation" in page and "الموقف" not in page  # no mixing inside the page
    assert "Module 2 of 2, page 1 of 1" in page
    # The page lives in the Arabic site: its links stay there.
    assert 'href="../../crisis/"' in page
    module = _read(site, "ar/practice")
    assert _html_tag(module) == '<html lang="en-GB" dir="ltr">' and "هذه الوحدة" in module
    # Translated pages name the module in Arabic.
    assert "التمرين" in _read(site, "ar")


def test_questionnaire_stays_in_the_readers_language(site: Path) -> None:
    french = _read(site, "fr/start/reflect")
    assert "[Lîttlé îñtéréšt ör pléàšûré îñ döîñg thîñgš]" in french
    assert "Little interest or pleasure" not in french
    arabic = _read(site, "ar/start/reflect")
    # No validated Arabic wording: the questionnaire stays on the Arabic page, with only the
    # measure's own words in English and marked as English; it never sends the client to the
    # English site (and its crisis lines).
    assert '<legend lang="en" dir="ltr">Little interest or pleasure in doing things</legend>' in (
        arabic
    )
    assert "Lîttlé" not in arabic
    # The only way to the English page is the language list, which names its language.
    english = [line for line in arabic.splitlines() if "en-GB/start/reflect" in line]
    assert len(english) == 1 and 'hreflang="en-GB"' in english[0], english
    alert = arabic[arabic.index('data-risk-alert="q9"') :]
    alert = alert[: alert.index("</div>")]
    assert 'href="../../crisis/"' in alert and "lang=" not in alert.split(">")[0]
    assert "اطلب المساعدة الآن" in alert


def test_guidance_is_translated_whole(project: Path) -> None:
    from icbt_content.authoring.loader import read_programme
    from icbt_content.i18n.localise import localise_to

    loaded = read_programme(project / "programmes" / "demo", project)
    french, _ = localise_to(project, loaded, "fr")
    arabic, _ = localise_to(project, loaded, "ar")
    assert french is not None and arabic is not None
    assert french.programme.guidance[0].body.startswith("Bonjour {{ client.first_name }},")
    assert arabic.programme.guidance[0].body.strip().startswith("Hello {{ client.first_name }},")


def test_a_locale_without_catalogs_is_not_built(project: Path) -> None:
    (project / "locales" / "de").mkdir()
    (project / "locales" / "de" / "locale.yaml").write_text("name: Deutsch\n", encoding="utf-8")
    report = build_site(project, project / "site")
    assert report.locales["demo"] == ["en-GB", "ar", "fr"]


def test_a_guidance_translation_that_fails_the_template_checks_is_refused(project: Path) -> None:
    from i18n_helpers import replace_in, set_translation

    from icbt_content.authoring.loader import read_programme
    from icbt_content.i18n.localise import localise_to
    from icbt_content.i18n.workflow import update

    replace_in(
        project / "programmes/demo/guidance/welcome.md",
        "Best wishes,",
        "{% if days_since_login > 7 %}It has been a while.{% endif %}\n\nBest wishes,",
    )
    update(project, ["fr"])
    # The same placeholders, in an order Jinja cannot read.
    set_translation(
        project / "locales/fr/demo.po",
        "guidance:welcome.p3",
        "{% endif %}Cela fait un moment.{% if days_since_login > 7 %}",
    )
    set_translation(
        project / "locales/fr/demo.po", "guidance:welcome.p4", "Bien à vous, {{ therapist.name }}"
    )
    loaded = read_programme(project / "programmes" / "demo", project)
    french, found = localise_to(project, loaded, "fr")
    assert french is not None
    assert french.programme.guidance[0].body.strip().startswith("Hello")
    assert [d.file for d in found if d.code == "ICBT613"] == ["locales/fr/demo.po"]
