"""Helpers for the i18n tests: edit PO files and sources in a test's copy of the project."""

from __future__ import annotations

from pathlib import Path

from icbt_content.i18n.catalog import Entry, load_po, save_po


def set_translation(
    po: Path, context: str | None, msgstr: str, *, msgid: str | None = None
) -> None:
    """Set the translation of the entry with this msgctxt (or msgid) in a PO file."""
    catalog, problems = load_po(po, po.name)
    assert not problems, problems
    for entry in catalog.entries:
        if (context is not None and entry.context == context) or (
            context is None and entry.msgid == msgid
        ):
            entry.msgstr = msgstr
            entry.flags.discard("fuzzy")
            break
    else:  # pragma: no cover - a test names an entry that does not exist
        raise KeyError(context or msgid)
    save_po(catalog, po)


def entry(po: Path, context: str) -> Entry:
    """The entry with this msgctxt in a PO file."""
    catalog, _ = load_po(po, po.name)
    return next(e for e in catalog.entries if e.context == context and not e.obsolete)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
