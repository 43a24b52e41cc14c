"""The interface strings of a template are read from its parsed text once per process: the i18n
gates ask for every template's strings once per string they check (issue 11, suite time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from icbt_content.i18n import interface
from icbt_content.i18n.interface import template_strings


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts Jinja parses from now on (with an empty cache)."""
    seen: list[str] = []
    real = Environment.parse

    def counting(self: Environment, source: str, *args: object, **kwargs: object) -> object:
        seen.append(source)
        return real(self, source, *args, **kwargs)  # type: ignore[arg-type]

    interface._strings_of.cache_clear()
    monkeypatch.setattr(Environment, "parse", counting)
    return seen


def test_the_package_templates_are_parsed_once(parses: list[str]) -> None:
    first = list(template_strings())
    parsed = len(parses)
    assert parsed > 5 and first
    assert list(template_strings()) == first
    assert len(parses) == parsed


def test_an_edited_override_gives_its_new_strings(parses: list[str], tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    override = tmp_path / "templates" / "extra.html"
    override.write_text('<p>{{ _("Before the edit") }}</p>\n', encoding="utf-8")
    before = {s.text for s in template_strings(tmp_path)}
    override.write_text('\n<p>{{ _("After the edit") }}</p>\n', encoding="utf-8")
    after = [s for s in template_strings(tmp_path) if s.location.startswith("templates/")]
    assert "Before the edit" in before
    assert [(s.text, s.location) for s in after] == [("After the edit", "templates/extra.html:2")]


def test_a_broken_override_has_no_strings(parses: list[str], tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "broken.html").write_text("{% if %}", encoding="utf-8")
    assert not [s for s in template_strings(tmp_path) if "templates/broken" in s.location]
