"""Checks on translations: what a translation may not change, add or leave out.

Each check compares a translation with its source: the same ``{placeholders}``, the same link
targets, the same Markdown block structure, no new HTML, only safe URL schemes, no bidirectional
control characters, every plural form the language needs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.messages.plurals import get_plural
from markdown_it.token import Token

from icbt_content.i18n.catalog import Catalog, Entry
from icbt_content.i18n.inline_checks import (
    InlineProblem,
    block_tokens,
    html_problems,
    inline_children,
    inline_structure_problems,
    invisible_problems,
    one_paragraph,
)
from icbt_content.markdown.links import is_safe_url

#: ``{name}`` placeholders, and Jinja's ``{{ ... }}`` and ``{% ... %}`` in guidance messages.
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{[^{}\n]*\}", re.DOTALL)
_PLURAL_CALL = re.compile(r"plural\s*\(([^()]*)\)")
_JOIN_SEPARATOR = re.compile(r"""join\(\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a translation."""

    code: str
    message: str
    hint: str = ""


def placeholders(text: str) -> Counter[str]:
    """The placeholders of a text, with the spacing inside them normalised."""
    return Counter(re.sub(r"\s+", " ", m.group(0).strip()) for m in PLACEHOLDER.finditer(text))


def _norm_jinja(token: str) -> str:
    # The forms given to plural() are translated text; their number is checked separately.
    token = _PLURAL_CALL.sub(lambda m: "plural(" + m.group(1).split(",")[0] + ",...)", token)
    # So is the separator of a list: a translator writes "、" where the source has ", ".
    token = _JOIN_SEPARATOR.sub("join(...)", token)
    return re.sub(r"\s+", "", token)


def link_targets(text: str) -> list[str]:
    """Every link and image target in inline Markdown."""
    targets: list[str] = []
    if "[" not in text and "<" not in text:
        return targets  # no link, image or autolink: nothing to parse

    def walk(tokens: Iterable[Token]) -> None:
        for token in tokens:
            if token.type == "link_open":
                targets.append(str(token.attrGet("href") or ""))
            elif token.type == "image":
                targets.append(str(token.attrGet("src") or ""))
                walk(token.children or [])

    walk(inline_children(text))
    return targets


_ONE_PARAGRAPH = ("paragraph_open", "paragraph_close")


def block_structure(text: str) -> list[str]:
    """The block tokens Markdown text parses to (what a translation must keep)."""
    if one_paragraph(text):
        return list(_ONE_PARAGRAPH)
    return [t.type for t in block_tokens(text) if t.type not in ("inline", "softbreak")]


def plural_forms(text: str) -> list[int]:
    """How many forms each ``plural(n, ...)`` call of a guidance message gives."""
    return [len(_QUOTED.findall(m.group(1))) for m in _PLURAL_CALL.finditer(text)]


def nplurals(locale: str) -> int:
    """How many plural forms a language has (CLDR, in gettext's terms)."""
    try:
        return get_plural(locale.replace("-", "_")).num_plurals
    except (ValueError, LookupError):
        return 2


def check_message(
    source: str, translation: str, *, markdown: bool = True, forms: int = 2
) -> list[Problem]:
    """Everything wrong with ``translation`` of ``source``; empty when it may be published."""
    found: list[Problem] = []
    found.extend(_as_problems(invisible_problems(translation)))
    found.extend(_placeholder_problems(source, translation))
    found.extend(_as_problems(html_problems(source, translation)))
    translated_targets = link_targets(translation)
    for target in translated_targets:
        if not is_safe_url(target):
            found.append(
                Problem(
                    "ICBT606",
                    f"unsafe link target '{target[:60]}'",
                    "only https:, mailto:, tel: and relative links are allowed",
                )
            )
    if markdown:
        found.extend(_markdown_problems(source, translation, translated_targets))
    counts = plural_forms(translation)
    if counts and min(counts) < forms:
        found.append(
            Problem(
                "ICBT608",
                f"plural() gives {min(counts)} form(s); this language needs {forms}",
                "give one form for each plural category of the language, in gettext order",
            )
        )
    return found


def _placeholder_problems(source: str, translation: str) -> list[Problem]:
    """ICBT602 when the placeholders of a translation are not its source's."""
    if "{" not in source and "{" not in translation:
        return []  # neither has any (most messages)
    want = Counter(_norm_jinja(k) for k in placeholders(source).elements())
    got = Counter(_norm_jinja(k) for k in placeholders(translation).elements())
    found: list[Problem] = []
    if want != got:
        lost = sorted((want - got).elements())
        added = sorted((got - want).elements())
        parts = []
        if lost:
            parts.append("missing " + ", ".join(lost))
        if added:
            parts.append("not in the source " + ", ".join(added))
        found.append(
            Problem(
                "ICBT602",
                f"placeholders differ from the source: {'; '.join(parts)}",
                "copy each {placeholder} exactly as it is in the source; only the words around "
                "it are translated",
            )
        )
    return found


def _markdown_problems(
    source: str, translation: str, translated_targets: list[str]
) -> list[Problem]:
    """What a Markdown translation may not change: link targets, inline markup, blocks."""
    found: list[Problem] = []
    source_targets = link_targets(source)
    if source_targets or translated_targets:
        source_links = Counter(source_targets)
        translated_links = Counter(translated_targets)
        if source_links != translated_links:
            lost = sorted((source_links - translated_links).elements())
            added = sorted((translated_links - source_links).elements())
            found.append(
                Problem(
                    "ICBT603",
                    "link targets differ from the source"
                    + (f": missing {', '.join(lost)}" if lost else "")
                    + (f"; not in the source {', '.join(added)}" if added else ""),
                    "keep the part in (brackets) after each [link text] exactly as in the source",
                )
            )
    found.extend(_as_problems(inline_structure_problems(source, translation)))
    before, after = block_structure(source), block_structure(translation)
    if before != after:
        found.append(
            Problem(
                "ICBT604",
                f"the translation reads as {_describe(after)}, the source as {_describe(before)}",
                "remove a '#', '-', '>' or '1.' at the start, or an empty line inside the "
                "translation (start it with a backslash, '\\#', to keep the character)",
            )
        )
    return found


def _as_problems(found: Iterable[InlineProblem]) -> list[Problem]:
    return [Problem(p.code, p.message, p.hint) for p in found]


def _describe(types: list[str]) -> str:
    blocks = [t.removesuffix("_open") for t in types if t.endswith("_open") or t == "hr"]
    top = [b for b in blocks if b not in ("list_item", "tr", "th", "td", "thead", "tbody")]
    if not top:
        return "nothing"
    names = Counter(top)
    return ", ".join(f"{n} {b.replace('_', ' ')}{'s' if n > 1 else ''}" for b, n in names.items())


@dataclass(frozen=True)
class EntryProblem:
    """A problem of one catalog entry."""

    entry: Entry
    problem: Problem


def check_entry(entry: Entry, *, markdown: bool, forms: int) -> list[Problem]:
    """Problems of one entry's translation (none for an untranslated entry)."""
    if entry.obsolete or not entry.translated:
        return []
    if entry.msgid_plural is not None:
        found: list[Problem] = []
        if len(entry.plurals) < forms or not all(entry.plurals.get(i) for i in range(forms)):
            found.append(
                Problem(
                    "ICBT608",
                    f"the language needs {forms} plural form(s): msgstr[0] to msgstr[{forms - 1}]",
                    "fill in every msgstr[n]",
                )
            )
        for index, text in sorted(entry.plurals.items()):
            source = entry.msgid if index == 0 and forms > 1 else entry.msgid_plural
            found.extend(check_message(source, text, markdown=markdown, forms=forms))
        return found
    return check_message(entry.msgid, entry.msgstr, markdown=markdown, forms=forms)


def check_catalog(
    catalog: Catalog, locale: str, is_markdown: Callable[[Entry], bool]
) -> list[EntryProblem]:
    """Every problem of every translated entry of a catalog."""
    forms = nplurals(locale)
    found: list[EntryProblem] = []
    for entry in catalog.active():
        for problem in check_entry(entry, markdown=is_markdown(entry), forms=forms):
            found.append(EntryProblem(entry, problem))
    return found


def header_problem(catalog: Catalog, locale: str) -> Problem | None:
    """A Plural-Forms header that does not match the language."""
    declared = catalog.nplurals
    forms = nplurals(locale)
    if declared is not None and declared != forms:
        return Problem(
            "ICBT608",
            f"the header says nplurals={declared}; {locale} has {forms} plural form(s)",
            "run 'icbt i18n update' to correct the Plural-Forms header",
        )
    return None


def markdown_entry(entry: Entry) -> bool:
    """Whether an entry is Markdown: extraction marks the others '(plain text)'."""
    return not any("(plain text)" in note for note in entry.notes)
