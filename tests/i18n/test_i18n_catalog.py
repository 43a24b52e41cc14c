"""PO files: read with line numbers, previous msgids kept, written the same way every time."""

from __future__ import annotations

from icbt_content.i18n.catalog import Catalog, Entry, read_po, write_po

PO = """msgid ""
msgstr ""
"Language: fr\\n"

#. paragraph (Markdown)
#: programmes/demo/modules/start/01-welcome.md:5
msgctxt "start/welcome.p1"
msgid "Hello"
msgstr "Bonjour"

#, fuzzy
#| msgid "Old text"
msgctxt "start/welcome.p2"
msgid ""
"New "
"text"
msgstr "Ancien texte"

#~ msgctxt "gone"
#~ msgid "Gone"
#~ msgstr "Parti"
"""


def test_read_keeps_lines_previous_msgids_and_obsolete_entries() -> None:
    catalog, problems = read_po(PO, "fr/demo.po")
    assert problems == []
    first, second, gone = catalog.entries
    assert (first.context, first.msgid, first.msgstr) == ("start/welcome.p1", "Hello", "Bonjour")
    assert first.line == 8 and first.msgstr_line == 9
    assert first.locations == ["programmes/demo/modules/start/01-welcome.md:5"]
    assert second.fuzzy and second.previous_id == "Old text" and second.msgid == "New text"
    assert second.msgstr_line == 17
    assert gone.obsolete and gone.msgstr == "Parti"
    assert catalog.get_header("Language") == "fr"


def test_write_is_stable() -> None:
    catalog, _ = read_po(PO, "x.po")
    text = write_po(catalog)
    again, _ = read_po(text, "x.po")
    assert write_po(again) == text
    assert '#| msgid "Old text"' in text


def test_syntax_errors_point_at_the_line() -> None:
    _, problems = read_po('msgid "a"\nmsgstr "b\n\nmsgid "a"\nmsgstr "c"\n', "bad.po")
    assert [(d.code, d.line) for d in problems] == [("ICBT601", 2)]
    _, problems = read_po('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "bad.po")
    assert [(d.code, d.line) for d in problems] == [("ICBT601", 4)]


def test_plural_entries_round_trip() -> None:
    catalog = Catalog(header=[("Language", "ar")])
    catalog.entries.append(
        Entry(msgid="{n} item", msgid_plural="{n} items", plurals={i: f"f{i}" for i in range(6)})
    )
    again, problems = read_po(write_po(catalog), "x.po")
    assert problems == [] and again.entries[0].plurals == {i: f"f{i}" for i in range(6)}
