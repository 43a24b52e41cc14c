"""The catalog gate costs nothing without catalogs, and walks no programme the localise stage
has already walked: it compares the catalogs with the segments that walk recorded. A catalog is
read and checked once, each message parsed once for all its checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.i18n import sources
from icbt_content.i18n.checks import check_message
from icbt_content.i18n.gate import catalog_currency
from icbt_content.i18n.localise import localise
from icbt_content.i18n.translations import load_translations
from icbt_content.markdown import checking_parser


def _no_walk(*args: object, **kwargs: object) -> None:
    raise AssertionError("the gate walked the programme again")


def _behind(project: Path) -> None:
    replace_in(
        project / "locales/fr/demo.po",
        'msgid "Think about the last week. What went well?"',
        'msgid "Think about the last fortnight. What went well?"',
    )


def test_no_catalogs_no_walk(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for locale in ("fr", "ar"):
        shutil.rmtree(project / "locales" / locale)
    loaded = read_programme(project / "programmes/demo", project)
    monkeypatch.setattr(sources, "walk_programme", _no_walk)
    assert catalog_currency(project, [loaded]) == []
    assert loaded.segments is None


def test_the_gate_reuses_the_localise_walk(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _behind(project)
    walked = read_programme(project / "programmes/demo", project)
    expected = catalog_currency(project, [walked])
    assert {d.code for d in expected} >= {"ICBT611", "ICBT631"}

    loaded = read_programme(project / "programmes/demo", project)
    localise(project, loaded)
    monkeypatch.setattr(sources, "walk_programme", _no_walk)
    assert catalog_currency(project, [loaded]) == expected
    assert sources.programme_template(loaded).entries == sources.programme_template(walked).entries


def test_a_catalog_is_read_once_while_unchanged(project: Path) -> None:
    first = load_translations(project, "fr", "demo")
    assert first is not None
    assert load_translations(project, "fr", "demo") is first
    _behind(project)
    changed = load_translations(project, "fr", "demo")
    assert changed is not first and changed is not None
    assert changed.entries.keys() != first.entries.keys()


def test_each_message_is_parsed_once_for_all_its_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    # A message is parsed whole, or inline only when it is one paragraph: once either way.
    parser = checking_parser()
    calls: list[str] = []

    def counting(name: str) -> None:
        real = getattr(parser, name)

        def counted(src: str, env: object = None) -> object:
            calls.append(src)
            return real(src, env)

        monkeypatch.setattr(parser, name, counted)

    counting("parse")
    counting("parseInline")
    source, translation = "See *the* [guide](a.md) <b>.", "Voir *le* [guide](a.md) <b>."
    assert check_message(source, translation) == []
    assert sorted(calls) == sorted({source, translation})
