"""Catalogs are read within limits: huge plural numbers, files, message counts and strings are
diagnostics at their line, never a ValueError or gigabytes of memory."""

from __future__ import annotations

from pathlib import Path

from icbt_content.i18n.catalog import load_po, read_po
from icbt_content.limits import (
    CATALOG_MARKDOWN_FACTOR,
    MAX_CATALOG_BYTES,
    MAX_CATALOG_ENTRIES,
    MAX_EMPHASIS_MARKS,
    MAX_STRING_CHARS,
)

HEADER = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: {forms}\\n"\n\n'
DIGITS = "7" * 5000


def _codes(found: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(d.code, d.line) for d in found]


def test_nplurals_with_thousands_of_digits() -> None:
    """Issue 17 item 6: int() of the digits raised ValueError (catalog.py:99)."""
    catalog, found = read_po(HEADER.format(forms=f"nplurals={DIGITS}; plural=0;"), "fr.po")
    assert _codes(found) == [("ICBT614", 4)]
    assert catalog.nplurals is None


def test_nplurals_out_of_range() -> None:
    catalog, found = read_po(HEADER.format(forms="nplurals=0; plural=0;"), "fr.po")
    assert _codes(found) == [("ICBT614", 4)] and catalog.nplurals is None
    catalog, found = read_po(HEADER.format(forms="nplurals=2; plural=(n > 1);"), "fr.po")
    assert found == [] and catalog.nplurals == 2


def test_plural_index_with_thousands_of_digits() -> None:
    """Issue 17 item 6: msgstr[N] raised ValueError (catalog.py:236)."""
    text = HEADER.format(forms="nplurals=2; plural=(n > 1);") + (
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\n'
        f'msgstr[{DIGITS}] "plusieurs"\n"suite"\nmsgstr[1] "des"\n\nmsgid "b"\nmsgstr "bb"\n'
    )
    catalog, found = read_po(text, "fr.po")
    assert _codes(found) == [("ICBT614", 9)]
    assert [(e.msgid, e.plurals, e.msgstr) for e in catalog.entries] == [
        ("one", {0: "un", 1: "des"}, ""),
        ("b", {}, "bb"),
    ]


def test_catalog_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    with path.open("wb") as stream:
        stream.truncate(MAX_CATALOG_BYTES + 1)
    catalog, found = load_po(path, "locales/fr/demo.po")
    assert catalog is None and _codes(found) == [("ICBT615", 1)]


def test_too_many_messages_stop_reading() -> None:
    entries = "".join(f'msgid "m{i}"\nmsgstr "t{i}"\n\n' for i in range(MAX_CATALOG_ENTRIES + 5))
    catalog, found = read_po(HEADER.format(forms="nplurals=2; plural=(n > 1);") + entries, "x")
    assert [d.code for d in found] == ["ICBT615"]
    assert len(catalog.entries) == MAX_CATALOG_ENTRIES


def test_a_string_too_long_is_refused_and_the_rest_is_kept() -> None:
    """A 50 MB msgstr once took 812 MB; pieces are now joined once and bounded."""
    pieces = '"xxxxxxxxxx"\n' * (MAX_STRING_CHARS // 10 + 1)
    text = f'msgid "a"\nmsgstr ""\n{pieces}\nmsgid "b"\nmsgstr "ok"\n'
    catalog, found = read_po(text, "fr.po")
    assert _codes(found) == [("ICBT615", 2)]
    assert [(e.msgid, e.msgstr) for e in catalog.entries] == [("a", ""), ("b", "ok")]


def test_long_strings_within_the_limit_are_joined_whole() -> None:
    pieces = "".join(f'"{i:05d}"\n' for i in range(10_000))
    catalog, found = read_po(f'msgid "a"\nmsgstr ""\n{pieces}', "fr.po")
    assert found == []
    assert catalog.entries[0].msgstr == "".join(f"{i:05d}" for i in range(10_000))


def test_catalog_with_more_markdown_than_many_pages() -> None:
    stars = "*a" * (MAX_EMPHASIS_MARKS * CATALOG_MARKDOWN_FACTOR + 1)
    catalog, found = read_po(f'msgid "a"\nmsgstr "{stars}"\n', "fr.po")
    assert [d.code for d in found] == ["ICBT615"] and catalog.entries == []
