"""Contexts and plural forms of interface strings, passed through one ``gettext`` function.

The site's renderer knows one function, ``text -> translation``. As in GNU gettext's compiled
catalogs, a message with a context is asked for as ``context + "\\x04" + text`` and a message with
a plural as ``singular + "\\x00" + plural``; the answer of a plural message is its forms joined
by ``"\\x00"`` in gettext order, and the scripts pick a form with ``Intl.PluralRules``, so each
form is named by its CLDR category (``one``, ``few``, ``other``...).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from functools import lru_cache

from babel import Locale
from babel.messages.plurals import get_plural

from icbt_content.render.language import keep_language

CONTEXT = "\x04"
PLURAL = "\x00"
_SAMPLES = range(0, 1000)


def context_key(context: str, text: str) -> str:
    return f"{context}{CONTEXT}{text}"


def plural_key(singular: str, plural: str) -> str:
    return f"{singular}{PLURAL}{plural}"


def pgettext(translate: Callable[[str], str], context: str, text: str) -> str:
    """``text`` as used in ``context``, translated (the text itself when it is not, still
    marked with the language it is in)."""
    result = translate(context_key(context, text))
    return keep_language(result, result.rpartition(CONTEXT)[2])


@lru_cache(maxsize=64)
def plural_categories(locale: str) -> tuple[str, ...]:
    """The CLDR category of each gettext plural form of a language, in gettext order."""
    tag = locale.replace("-", "_")
    try:
        rule = get_plural(tag)
        cldr = Locale.parse(tag)
    except (ValueError, LookupError):
        return ("one", "other")
    choose = _gettext.c2py(rule.plural_expr)
    found: dict[int, str] = {}
    for n in _SAMPLES:
        found.setdefault(choose(n), str(cldr.plural_form(n)))
        if len(found) == rule.num_plurals:
            break
    return tuple(found.get(i, "other") for i in range(rule.num_plurals))


def plural_forms(
    translate: Callable[[str], str], locale: str, singular: str, plural: str
) -> dict[str, str]:
    """The forms of a message with a number, by CLDR category; always with ``other``.

    An untranslated message gives the source's two forms (English: ``one`` and ``other``)."""
    forms = translate(plural_key(singular, plural)).split(PLURAL)
    categories = plural_categories(locale)
    if len(forms) != len(categories):
        forms, categories = [singular, plural], ("one", "other")
    named = dict(zip(categories, forms, strict=True))
    named.setdefault("other", forms[-1])
    return named
