"""`render_guidance(..., locale=...)` and `icbt guidance render --locale` give the translation.

The message comes from the guidance catalog of the locale, pluralised with that locale's rules;
a message that is not translated is shown in the source language and says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from icbt_content.cli import run
from icbt_content.guidance import render_guidance
from icbt_content.i18n.catalog import load_po, save_po

REPO = Path(__file__).parent.parent.parent
FIXTURE = Path(__file__).parent.parent / "fixtures" / "i18n" / "project"
CONTEXT = {
    "client": {"first_name": "Alex"},
    "therapist": {"name": "Sam"},
    "days_since_login": 1,
    "exercises_done": [],
}

#: Arabic has six plural forms (CLDR): zero, one, two, few, many, other.
ARABIC_FORMS = ("لا تمارين", "تمرينًا واحدًا", "تمرينين", "{n} تمارين", "{n} تمرينًا", "{n} تمرين")
ARABIC = {
    "guidance:welcome.title": "مرحبًا",
    "guidance:welcome.p1": "مرحبًا {{ client.first_name }}،",
    "guidance:welcome.p2": "أنا {{ therapist.name }}. لقد أنجزت {{ plural(exercises_done|length, "
    + ", ".join(f'"{form}"' for form in ARABIC_FORMS)
    + ") }} حتى الآن.",
    "guidance:welcome.p3": "مع أطيب التمنيات، {{ therapist.name }}",
}


def set_translation(po: Path, context: str, text: str) -> None:
    catalog, problems = load_po(po, po.name)
    assert catalog is not None and not problems
    for entry in catalog.entries:
        if entry.context == context:
            entry.msgstr = text
    save_po(catalog, po)


@pytest.fixture
def arabic_project(tmp_path: Path) -> Path:
    """The i18n fixture project with its welcome message translated into Arabic."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    for context, text in ARABIC.items():
        set_translation(project / "locales/ar/demo.po", context, text)
    return project


def _exercises(count: int) -> dict[str, object]:
    return {**CONTEXT, "exercises_done": [f"exercise {i}" for i in range(count)]}


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "لا تمارين"),
        (1, "تمرينًا واحدًا"),
        (2, "تمرينين"),
        (3, "3 تمارين"),
        (11, "11 تمرينًا"),
        (100, "100 تمرين"),
    ],
)
def test_arabic_message_uses_arabic_plural_rules(
    arabic_project: Path, count: int, expected: str
) -> None:
    message = render_guidance(arabic_project, "demo", "welcome", _exercises(count), locale="ar")
    assert (message.locale, message.translated, message.title) == ("ar", True, "مرحبًا")
    assert message.markdown.startswith("مرحبًا Alex،")
    assert f"لقد أنجزت {expected} حتى الآن" in message.markdown
    assert "exercise" not in message.markdown


def test_untranslated_message_is_the_source_in_the_source_language(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    message = render_guidance(project, "demo", "welcome", _exercises(1), locale="ar")
    assert (message.locale, message.requested_locale, message.translated) == ("en-GB", "ar", False)
    # English, pluralised with English rules: not "1 exercises" by Arabic rules.
    assert "You have done one exercise so far." in message.markdown


def test_partly_translated_message_is_not_half_translated(arabic_project: Path) -> None:
    set_translation(arabic_project / "locales/ar/demo.po", "guidance:welcome.p3", "")
    message = render_guidance(arabic_project, "demo", "welcome", _exercises(2), locale="ar")
    assert not message.translated and "مرحبًا" not in message.markdown


def test_hong_kong_chinese_message() -> None:
    message = render_guidance(REPO, "sad", "overdue", CONTEXT, locale="zh-Hant-HK")
    assert (message.locale, message.translated) == ("zh-Hant-HK", True)
    assert message.markdown.startswith("Alex，你好！")
    assert "Hello" not in message.markdown and "Best wishes" not in message.markdown


def test_cli_renders_the_translation_and_notes_a_fallback(
    arabic_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    context = tmp_path / "context.json"
    context.write_text(json.dumps(_exercises(2)), encoding="utf-8")
    args = ["guidance", "render", "demo/welcome", "--context", str(context)]
    assert run([*args, "--project", str(arabic_project), "--locale", "ar"]) == 0
    out = capsys.readouterr()
    assert "لقد أنجزت تمرينين حتى الآن" in out.out and out.err == ""

    set_translation(arabic_project / "locales/ar/demo.po", "guidance:welcome.p2", "")
    assert run([*args, "--project", str(arabic_project), "--locale", "ar"]) == 0
    out = capsys.readouterr()
    assert "You have done 2 exercises so far." in out.out
    assert "not translated into ar" in out.err and "en-GB" in out.err
