"""YAML in every channel is refused while it is composed: alias bombs and deep nesting end in a
diagnostic after a handful of nodes, never in gigabytes, a hang or a RecursionError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from icbt_content.adaptation.overrides import load_adaptations
from icbt_content.adaptation.resources import load_locale
from icbt_content.authoring.yamlsafe import load_yaml
from icbt_content.diagnostics import Diagnostic
from icbt_content.limits import MAX_YAML_DEPTH, MAX_YAML_NODES
from icbt_content.pipeline.check import check_project


def bomb(levels: int, width: int = 9) -> str:
    """A billion-laughs document: ``levels`` lists of ``width`` aliases of the level below."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


BOMB = bomb(9)  # about 500 bytes, like the bomb of issue 17: 9 levels of 9 aliases
BOMB_8 = bomb(8, 10)  # issue 9: 8 levels


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The number of YAML nodes composed while the test runs."""
    count = [0]
    original = yaml.composer.Composer.compose_node

    def counting(self: yaml.composer.Composer, parent: object, index: object) -> object:
        count[0] += 1
        return original(self, parent, index)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", counting)
    yield count


def test_bombs_are_refused_at_the_first_anchor(composed: list[int]) -> None:
    assert len(BOMB) < 600
    for text in (BOMB, BOMB_8):
        located, found = load_yaml(text, "bomb.yaml", first_line=3)
        assert located is None
        assert [(d.code, d.line, d.col) for d in found] == [("ICBT105", 3, 5)]
    assert composed[0] < 10


def test_a_lone_alias_is_refused_where_it_is_written() -> None:
    _, found = load_yaml("a: [1]\nb: *x\n", "x.yaml")
    assert [(d.code, d.line, d.col) for d in found] == [("ICBT105", 2, 4)]


def test_deep_nesting_is_a_diagnostic_not_a_recursion_error(composed: list[int]) -> None:
    text = "x: " + "[" * 50_000 + "]" * 50_000
    located, found = load_yaml(text, "deep.yaml")
    assert located is None
    assert [d.code for d in found] == ["ICBT115"]
    assert f"more than {MAX_YAML_DEPTH} levels" in found[0].message
    # libyaml stops first (its own limit of 1,000 open brackets), a couple of nodes in; PyYAML's
    # reader then reports the problem, stopping at the limit.
    assert composed[0] <= MAX_YAML_DEPTH + 2 + 2


def test_deep_block_mappings_are_refused() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "end\n"
    _, found = load_yaml(text, "deep.yaml")
    # The mapping under k31, on line 32, is the 33rd level.
    assert [(d.code, d.line) for d in found] == [("ICBT115", MAX_YAML_DEPTH)]


def test_too_many_values_are_refused(composed: list[int]) -> None:
    text = "x: [" + ", ".join(["1"] * (MAX_YAML_NODES + 10)) + "]\n"
    located, found = load_yaml(text, "wide.yaml")
    assert located is None and [d.code for d in found] == ["ICBT115"]
    assert composed[0] <= MAX_YAML_NODES + 1


def test_plain_yaml_still_loads_with_lines() -> None:
    located, found = load_yaml("title: T\nitems:\n  - a\n  - {b: [1, 2]}\n", "ok.yaml", 2)
    assert not found and located is not None
    assert located.data == {"title": "T", "items": ["a", {"b": [1, 2]}]}
    assert located.line_of(("items", 1, "b")) == 5


# -- every channel ---------------------------------------------------------------------------


def _front(text: str) -> str:
    return f"---\n{text}---\n\nText.\n"


def _codes(found: list[Diagnostic]) -> list[str]:
    return sorted({d.code for d in found})


def _check(project: Path) -> list[Diagnostic]:
    return [d for loaded in check_project(project) for d in loaded.diagnostics]


def _page_front_matter(project: Path) -> list[Diagnostic]:
    page = project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(_front(BOMB), "utf-8")
    return _check(project)


def _module_front_matter(project: Path) -> list[Diagnostic]:
    (project / "programmes/demo/modules/start/module.md").write_text(_front(BOMB), "utf-8")
    return _check(project)


def _programme_yaml(project: Path) -> list[Diagnostic]:
    (project / "programmes/demo/programme.yaml").write_text(BOMB, "utf-8")
    return _check(project)


def _directive(project: Path) -> list[Diagnostic]:
    page = project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(f"---\ntitle: T\n---\n\n::: exercise reflection\n{BOMB}:::\n", "utf-8")
    return _check(project)


def _measure_file(project: Path) -> list[Diagnostic]:
    manifest = project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "measures:\n  - mood\n", "utf-8")
    (project / "programmes/demo/measures").mkdir()
    (project / "programmes/demo/measures/mood.yaml").write_text(BOMB, "utf-8")
    return _check(project)


def _guidance_front_matter(project: Path) -> list[Diagnostic]:
    (project / "programmes/demo/guidance/start-done.md").write_text(_front(BOMB), "utf-8")
    return _check(project)


def _locale_yaml(project: Path) -> list[Diagnostic]:
    (project / "locales/fr").mkdir(parents=True)
    (project / "locales/fr/locale.yaml").write_text(BOMB, "utf-8")
    return load_locale(project, "fr")[1]


def _adaptation(project: Path) -> list[Diagnostic]:
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True)
    (folder / "sam.md").write_text(_front(BOMB), "utf-8")
    return load_adaptations(project, "fr", "demo")[1]


CHANNELS: dict[str, Callable[[Path], list[Diagnostic]]] = {
    "page front matter": _page_front_matter,
    "module front matter": _module_front_matter,
    "programme.yaml": _programme_yaml,
    "directive": _directive,
    "measure file": _measure_file,
    "guidance front matter": _guidance_front_matter,
    "locale.yaml": _locale_yaml,
    "adaptation": _adaptation,
}


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_bomb_in_every_channel_is_refused(
    channel: str, basic_project: Path, composed: list[int]
) -> None:
    found = CHANNELS[channel](basic_project)
    assert "ICBT105" in _codes(found), [d.format() for d in found]
    assert composed[0] < 2000  # the rest of the project, not the bomb
