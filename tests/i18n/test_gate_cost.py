"""The catalog gate costs nothing without catalogs, and walks no programme the localise stage
has already walked: it compares the catalogs with the segments that walk recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.diagnostics import Diagnostics
from icbt_content.i18n import sources
from icbt_content.i18n.gate import catalog_currency
from icbt_content.i18n.localise import localise


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
    list(localise(project, loaded, Diagnostics()))
    monkeypatch.setattr(sources, "walk_programme", _no_walk)
    assert catalog_currency(project, [loaded]) == expected
    assert sources.programme_template(loaded).entries == sources.programme_template(walked).entries
