"""Text in another language than the page's is marked with its language, wherever it goes."""

from __future__ import annotations

import copy

import pytest
from markupsafe import escape

from icbt_content.adaptation.resources import describe_locale
from icbt_content.render.environment import fill
from icbt_content.render.language import ForeignText, PageLanguage, languages, plain


class Catalog:
    """A catalog that translates "Modules" as itself and leaves "Next" untranslated."""

    def __init__(self) -> None:
        self.published = {"Modules": "Modules", "Previous": "Précédent"}

    def __call__(self, text: str) -> str:
        return self.published.get(text, text)

    def translates(self, text: str) -> bool:
        return text in self.published


@pytest.mark.parametrize(
    ("page", "text", "html"),
    [
        ("fr", "Previous", "Précédent"),
        ("fr", "Modules", "Modules"),  # translated as itself: French, not marked
        ("fr", "Next", '<span lang="en">Next</span>'),
        ("ar", "Next", '<span lang="en" dir="ltr">Next</span>'),
        ("en-GB", "Next", "Next"),  # the site's words are English: nothing to mark
        ("fr", "12", "12"),  # no words, no language
    ],
)
def test_untranslated_interface_words_are_marked(page: str, text: str, html: str) -> None:
    gettext = PageLanguage(describe_locale(page), None).gettext(Catalog())
    assert str(escape(gettext(text))) == html


def test_marked_text_keeps_its_language_when_filled_in_and_copied() -> None:
    text = ForeignText("Module {module} of {modules}", "en", "ltr")
    filled = fill(text, module="1", modules="<2>")
    assert str(escape(filled)) == '<span lang="en" dir="ltr">Module 1 of &lt;2&gt;</span>'
    assert copy.deepcopy(filled).lang == "en"
    # Where no element can mark it (an attribute, the <title>), the text alone.
    assert type(plain(filled)) is str and plain(filled) == "Module 1 of <2>"


def test_scripts_learn_the_language_of_each_foreign_message() -> None:
    messages = {"saved": ForeignText("Saved.", "en", "ltr"), "fix": "Vérifiez."}
    assert languages(messages) == {"saved": ["en", "ltr"]}
