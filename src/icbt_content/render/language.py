"""Every piece of text carries the language it is written in.

A page is marked with its language (``<html lang>``). Text that is not in that language (an
interface string not yet translated, the title of a module served in the source language, a
therapist's note still in English) is wrapped in an element marked with its own ``lang`` and, when
the direction differs, ``dir``: screen readers pronounce it right and right-to-left pages lay it out
left to right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from markupsafe import Markup

from icbt_content.adaptation.resources import LocaleInfo
from icbt_content.model.programme import Programme


def lang_attrs(code: str, direction: str, page_direction: str) -> Markup:
    """``lang`` (and ``dir`` when it differs from the page's) attributes for a passage."""
    attrs = Markup(' lang="{}"').format(code)
    if direction != page_direction:
        attrs += Markup(' dir="{}"').format(direction)
    return attrs


def language_of(code: str) -> str:
    """The language subtag of a locale code: ``zh-Hant-HK`` -> ``zh``."""
    return code.split("-")[0].lower()


class ForeignText(str):
    """Text in another language than the page's: in HTML, a ``<span>`` marked with its language.

    In an attribute or the ``<title>``, where no element can mark it, templates write it with the
    ``plain`` filter; the site's scripts get its language with the ``languages`` filter.
    """

    lang: str
    direction: str
    """The text's direction when it differs from the page's, else ''."""

    def __new__(cls, text: str, lang: str = "", direction: str = "") -> ForeignText:
        made = super().__new__(cls, text)
        made.lang, made.direction = lang, direction
        return made

    @property
    def attrs(self) -> Markup:
        attrs = Markup(' lang="{}"').format(self.lang)
        return attrs + Markup(' dir="{}"').format(self.direction) if self.direction else attrs

    def __html__(self) -> Markup:
        return Markup("<span{}>{}</span>").format(self.attrs, str(self))


def foreign(text: str, lang: str, direction: str, page_direction: str) -> ForeignText:
    """``text`` in language ``lang`` written ``direction``, on a page written ``page_direction``."""
    return ForeignText(text, lang, direction if direction != page_direction else "")


def plain(value: object) -> str:
    """The text of a value without any language marking (for attributes and ``<title>``)."""
    return str(value)


def keep_language(template: str, result: str) -> str:
    """``result`` made from ``template`` (a filled-in string) in the template's language."""
    if isinstance(template, ForeignText):
        return ForeignText(result, template.lang, template.direction)
    return result


def in_language(text: str, language: tuple[str, str] | None) -> str:
    """``text`` marked with ``language`` (lang, and direction when it differs), if one is given."""
    return ForeignText(text, *language) if language else text


def languages(messages: dict[str, object]) -> dict[str, list[str]]:
    """For the site's scripts: [lang, dir] of each message not in the page's language."""
    return {
        name: [text.lang, text.direction]
        for name, text in messages.items()
        if isinstance(text, ForeignText)
    }


#: The filters templates mark and unmark languages with (every site environment has them).
LANGUAGE_FILTERS: dict[str, Callable[..., object]] = {
    "plain": plain,
    "languages": languages,
    "in_language": in_language,
}


@runtime_checkable
class CatalogGettext(Protocol):
    """Translates interface strings and knows which ones it has a translation for (a string may
    be translated as itself: French "Modules")."""

    def __call__(self, text: str) -> str: ...

    def translates(self, text: str) -> bool: ...


def translates(translate: Callable[[str], str] | None, text: str) -> bool:
    """Whether ``translate`` has a translation of ``text`` (by its catalog when it has one)."""
    if translate is None:
        return False
    if isinstance(translate, CatalogGettext):
        return translate.translates(text)
    return translate(text) != text


@dataclass(frozen=True)
class SourceLanguage:
    """The programme as written and the locale it is written in, for a page in another locale:
    what is still identical to it is in the source language and is marked so."""

    programme: Programme
    locale: LocaleInfo


#: The language the site's own words (interface msgids) are written in.
INTERFACE_LANGUAGE = "en"


class PageLanguage:
    """Marks text of a page in ``page`` that is in another language than the page's."""

    def __init__(self, page: LocaleInfo, source: SourceLanguage | None) -> None:
        self.page = page
        self.source = source
        self._source = (
            foreign("", source.locale.code, source.locale.direction, page.direction)
            if source is not None and language_of(source.locale.code) != language_of(page.code)
            else None
        )
        self._interface = (
            foreign("", INTERFACE_LANGUAGE, "ltr", page.direction)
            if language_of(page.code) != INTERFACE_LANGUAGE
            else None
        )

    def gettext(self, translate: Callable[[str], str]) -> Callable[[str], str]:
        """``translate`` with each string it leaves untranslated marked as the site's language."""
        language = self._interface
        if language is None:
            return translate

        def marked(text: str) -> str:
            result = translate(text)
            if any(c.isalpha() for c in text) and not translates(translate, text):
                return ForeignText(result, language.lang, language.direction)
            return result

        return marked

    def text(self, text: str, source_text: str | None) -> str:
        """``text``, marked as the source language when it is still ``source_text``."""
        if self._source is None or not text or text != source_text:
            return text
        return ForeignText(text, self._source.lang, self._source.direction)

    def block(self, html: Markup, source_text: str | None, text: str) -> Markup:
        """A rendered passage, in a ``<div>`` marked as the source language when ``text`` (what
        it was rendered from) is still ``source_text``."""
        if self._source is None or not text.strip() or text != source_text:
            return html
        return Markup("<div{}>\n{}</div>\n").format(self._source.attrs, html)

    @property
    def source_attrs(self) -> Markup:
        """Attributes for an element in the source language ('' when the page is in it)."""
        return self._source.attrs if self._source is not None else Markup("")
