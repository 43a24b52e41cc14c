"""Crisis services are checked data (issue 10, defect 3).

Every published locale lists crisis services for a named country, each with a number or link
checked against that country's numbering plan, its hours and a recent check date; links are
tel:, sms: or https: only; a line marked unverified blocks a strict build; a locale whose safety
words are untranslated is not published; new locales start with a file that fails until filled.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from icbt_content.adaptation.crisis import crisis_problems, months_before
from icbt_content.adaptation.resources import load_locale
from icbt_content.authoring.yamlsafe import load_yaml, validate
from icbt_content.cli import run
from icbt_content.i18n.catalog import load_po, save_po
from icbt_content.model.locale import LocaleResources
from icbt_content.pipeline import build_site

REPO = Path(__file__).parent.parent.parent
I18N = REPO / "tests" / "fixtures" / "i18n" / "project"
TODAY = date(2026, 12, 2)  # the build date every test runs on (tests/conftest.py)

GOOD = """\
name: English (UK)
country: GB
emergency_number: "999"
crisis_checked: "2026-11-27"
crisis:
  - name: Samaritans
    contact: "116 123"
    href: "tel:116123"
    hours: 24 hours, free
  - name: Shout
    contact: Text SHOUT to 85258
    href: "sms:85258"
    hours: 24 hours, free
"""


def set_translation(po: Path, context: str | None, msgstr: str, *, msgid: str = "") -> None:
    """Set the translation of the entry with this msgctxt (or, without one, this msgid)."""
    catalog, found = load_po(po, po.name)
    assert catalog is not None and not found
    entry = next(
        e
        for e in catalog.entries
        if not e.obsolete and (e.context == context if context else e.msgid == msgid)
    )
    entry.msgstr = msgstr
    save_po(catalog, po)


def problems(
    text: str, code: str = "en-GB", max_age_months: int = 12
) -> list[tuple[str, int, str]]:
    """(code, line, message) of every problem of a locale.yaml."""
    file = f"locales/{code}/locale.yaml"
    located, found = load_yaml(text, file)
    assert located is not None and not found
    resources, found = validate(LocaleResources, located)
    assert resources is not None, found
    return [
        (d.code, d.line, d.message)
        for d in crisis_problems(
            code, resources, located, file, today=TODAY, max_age_months=max_age_months
        )
    ]


def test_a_complete_locale_passes() -> None:
    assert problems(GOOD) == []


def test_no_services_is_an_error() -> None:
    text = GOOD[: GOOD.index("crisis:")] + "crisis: []\n"
    assert [(c, line) for c, line, _ in problems(text)] == [("ICBT800", 5)]


def test_a_language_only_locale_must_name_its_country() -> None:
    text = GOOD.replace("country: GB\n", "")
    assert [c for c, _, _ in problems(text, "ar")] == ["ICBT801"]
    assert problems(text, "en-GB") == []  # the region of the code names it
    assert problems(GOOD, "ar") == []
    wrong = problems(GOOD.replace("country: GB", "country: HK"), "en-GB")
    assert [(c, line) for c, line, _ in wrong] == [("ICBT801", 2)]
    assert [c for c, _, _ in problems(GOOD.replace("country: GB", "country: XX"), "ar")] == [
        "ICBT801"
    ]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/help",
        "http://example.org/help",
        "https:evil",
        "mailto:help@example.org",
    ],
)
def test_only_tel_sms_and_https_links(href: str) -> None:
    text = GOOD.replace('href: "tel:116123"', f"href: {href!r}")
    assert [(c, line) for c, line, _ in problems(text)] == [("ICBT803", 8)]


def test_an_https_link_is_allowed() -> None:
    text = GOOD.replace('href: "tel:116123"', 'href: "https://www.samaritans.org/"')
    assert problems(text) == []


@pytest.mark.parametrize(
    ("href", "contact", "message"),
    [
        (
            "tel:116124",
            "116 124",
            "'116124' (the link of 'Samaritans') is not a valid number in GB",
        ),
        ("tel:+85228960000", "2896 0000", "is not a valid number in GB"),
        ("tel:call-us", "116 123", "is not a phone number"),
        ("tel:116123", "116 124", "shows '116 124' but its link dials 116123"),
    ],
)
def test_numbers_are_checked_against_the_country(href: str, contact: str, message: str) -> None:
    text = GOOD.replace('href: "tel:116123"', f'href: "{href}"').replace(
        'contact: "116 123"', f'contact: "{contact}"'
    )
    found = problems(text)
    assert [c for c, _, _ in found] == ["ICBT804"]
    assert all(part in found[0][2] for part in message.split(" ... "))


def test_a_number_the_data_does_not_list_needs_a_reason() -> None:
    hotline = """\
country: HK
crisis_checked: "2026-11-27"
crisis:
  - name: Mental Health Support Hotline
    contact: "18111"
    href: "tel:18111"
    hours: 24 hours
"""
    assert [(c, line) for c, line, _ in problems(hotline, "zh-Hant-HK")] == [("ICBT804", 6)]
    explained = hotline + "    unlisted_number: Government hotline since 2023, checked by Dr A.\n"
    assert problems(explained, "zh-Hant-HK") == []
    impossible = explained.replace("18111", "1811123456789")
    assert [c for c, _, _ in problems(impossible, "zh-Hant-HK")] == ["ICBT804"]


def test_a_wrong_emergency_number_is_refused() -> None:
    found = problems(GOOD.replace('emergency_number: "999"', 'emergency_number: "911"'))
    assert [(c, line) for c, line, _ in found] == [("ICBT804", 3)]


def test_every_service_needs_hours_and_a_number_or_link() -> None:
    text = GOOD.replace("    hours: 24 hours, free\n", "", 1).replace('    href: "sms:85258"\n', "")
    found = problems(text)
    assert [(c, line) for c, line, _ in found] == [("ICBT802", 6), ("ICBT802", 9)]
    assert "does not say when it answers" in found[0][2] and "no number or link" in found[1][2]


def test_dates_missing_in_the_future_or_too_old() -> None:
    undated = GOOD.replace('crisis_checked: "2026-11-27"\n', "")
    assert [(c, line) for c, line, _ in problems(undated)] == [("ICBT805", 5), ("ICBT805", 9)]
    future = GOOD.replace("2026-11-27", "2026-12-25")
    assert {c for c, _, _ in problems(future)} == {"ICBT805"}
    stale = GOOD.replace("2026-11-27", "2025-12-01")
    found = problems(stale)
    assert [(c, line) for c, line, _ in found] == [("ICBT805", 4), ("ICBT805", 4)]
    assert "more than 12 months ago" in found[0][2]
    assert problems(GOOD.replace("2026-11-27", "2025-12-02")) == []  # exactly 12 months


def test_a_line_can_carry_its_own_date() -> None:
    text = GOOD.replace(
        '    href: "sms:85258"\n', '    href: "sms:85258"\n    checked: "2024-01-10"\n'
    )
    assert [(c, line) for c, line, _ in problems(text)] == [("ICBT805", 13)]


def test_the_age_is_configurable() -> None:
    six_months_old = GOOD.replace("2026-11-27", "2026-05-01")
    assert problems(six_months_old) == []
    assert {c for c, _, _ in problems(six_months_old, max_age_months=6)} == {"ICBT805"}
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_the_deployment_sets_the_age_for_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    for path in project.glob("locales/*/locale.yaml"):  # checked two months before the build
        text = path.read_text(encoding="utf-8").replace("2026-11-27", "2026-10-01")
        path.write_text(text, encoding="utf-8")
    assert build_site(project, project / "site").ok
    (project / "deploy.yaml").write_text("crisis_max_age_months: 1\n", encoding="utf-8")
    report = build_site(project, project / "site")
    assert not report.ok
    assert {d.file for d in report.diagnostics.errors if d.code == "ICBT805"} == {
        "locales/en-GB/locale.yaml",
        "locales/ar/locale.yaml",
        "locales/fr/locale.yaml",
    }
    (project / "deploy.yaml").write_text("crisis_max_age_months: 120\n", encoding="utf-8")
    report = build_site(project, project / "site")
    assert [(d.code, d.file) for d in report.diagnostics.errors] == [("ICBT104", "deploy.yaml")]


def test_an_unverified_line_blocks_a_strict_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    locale = project / "locales/fr/locale.yaml"
    locale.write_text(locale.read_text(encoding="utf-8") + "    verified: false\n", "utf-8")
    report = build_site(project, project / "site")
    assert report.ok
    assert [(d.code, d.severity) for d in report.diagnostics if d.code == "ICBT806"] == [
        ("ICBT806", "warning")
    ]
    assert not build_site(project, project / "strict", strict=True).ok
    assert run(["check", "--strict", "--project", str(project)]) == 1


def test_a_javascript_link_in_locale_yaml_is_never_published(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    locale = project / "locales/fr/locale.yaml"
    text = locale.read_text(encoding="utf-8").replace('"tel:112"', '"javascript:alert(1)"')
    locale.write_text(text, encoding="utf-8")
    report = build_site(project, project / "site")
    assert not report.ok and not (project / "site").exists()
    assert [(d.code, d.file) for d in report.diagnostics.errors] == [
        ("ICBT803", "locales/fr/locale.yaml")
    ]
    assert run(["check", "--project", str(project)]) == 1


# Published locales, scaffolds and untranslated safety words ---------------------------------


def test_a_new_programme_cannot_publish_without_crisis_services(tmp_path: Path) -> None:
    assert run(["new", "programme", "low-mood", "--project", str(tmp_path)]) == 0
    text = (tmp_path / "locales/en-GB/locale.yaml").read_text(encoding="utf-8")
    assert "crisis: []" in text and "country: GB" in text
    _, found = load_locale(tmp_path, "en-GB")
    assert [d.code for d in found] == ["ICBT800"]
    assert not build_site(tmp_path, tmp_path / "site").ok
    assert run(["check", "--strict", "--project", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("code", "codes"), [("de-AT", ["ICBT800"]), ("ar", ["ICBT801", "ICBT800"])]
)
def test_i18n_init_writes_a_locale_file_to_fill_in(
    tmp_path: Path, code: str, codes: list[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    shutil.rmtree(project / "locales" / "ar")
    assert run(["i18n", "init", code, "--project", str(project)]) == 0
    _, found = load_locale(project, code)
    assert sorted(d.code for d in found) == sorted(codes)
    report = build_site(project, project / "site")
    assert not report.ok
    assert {d.file for d in report.diagnostics.errors} == {f"locales/{code}/locale.yaml"}


def test_a_locale_without_locale_yaml_is_not_published(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    (project / "locales/fr/locale.yaml").unlink()
    report = build_site(project, project / "site")
    assert [(d.code, d.file) for d in report.diagnostics.errors] == [
        ("ICBT800", "locales/fr/locale.yaml")
    ]


@pytest.mark.parametrize(
    "msgid",
    [
        "Need help now?",
        "Get help now",
        "No one is told about this answer automatically. It stays on this device.",
        "These services were last checked on {date}.",
    ],
)
def test_untranslated_safety_words_keep_the_locale_unpublished(tmp_path: Path, msgid: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    set_translation(project / "locales/fr/interface.po", None, "", msgid=msgid)
    report = build_site(project, project / "site")
    assert report.ok and report.locales["demo"] == ["en-GB", "ar"]
    assert not (project / "site/demo/fr").exists()
    [warning] = [d for d in report.diagnostics if d.code == "ICBT807"]
    assert warning.file == "locales/fr/interface.po" and warning.severity == "warning"
    assert msgid in warning.message
    assert not build_site(project, project / "strict", strict=True).ok


def test_an_untranslated_crisis_page_keeps_the_locale_unpublished(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    set_translation(project / "locales/ar/demo.po", "crisis.p1", "")
    report = build_site(project, project / "site")
    assert report.locales["demo"] == ["en-GB", "fr"]
    assert [(d.code, d.file) for d in report.diagnostics if d.code == "ICBT612"] == [
        ("ICBT612", "locales/ar/demo.po")
    ]


# The shipped locales ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["en-GB", "zh-Hant-HK", "ar"])
def test_shipped_crisis_services_are_current(code: str) -> None:
    """Against the real date, not the pinned one: fails when a re-check is due."""
    _, found = load_locale(REPO, code, today=date.today())
    assert [d.format() for d in found] == []


def test_arabic_is_served_with_the_uk_lines_described_in_arabic(sample_site: Path) -> None:
    page = (sample_site / "sad/ar/crisis/index.html").read_text(encoding="utf-8")
    for href in ("tel:999", "tel:111", "tel:116123", "sms:85258"):
        assert f'href="{href}"' in page
    assert "بالإنجليزية" in page  # says which services answer in English
    assert '<html lang="ar" dir="rtl">' in page
    assert "٢٧" in page or "27" in page  # the date it was checked, the Arabic way


def test_hong_kong_lines_on_the_hong_kong_pages(sample_site: Path) -> None:
    for programme in ("sad", "ptsd"):
        page = (sample_site / programme / "zh-Hant-HK/crisis/index.html").read_text("utf-8")
        for href in ("tel:999", "tel:+85228960000", "tel:+85223892222", "tel:+85223820000"):
            assert f'href="{href}"' in page
        assert "tel:116123" not in page and "111" not in page.replace("18111", "")


def test_a_programme_written_in_another_language_needs_the_safety_words_too(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(I18N, project)
    manifest = project / "programmes/demo/programme.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("source_locale: en-GB", "source_locale: ar"), "utf-8")
    assert "source_locale: ar" in manifest.read_text(encoding="utf-8")
    set_translation(project / "locales/ar/interface.po", None, "", msgid="Get help now")
    report = build_site(project, project / "site")
    assert report.locales["demo"] == []
    assert [(d.code, d.file) for d in report.diagnostics if d.code == "ICBT807"] == [
        ("ICBT807", "locales/ar/interface.po")
    ]
