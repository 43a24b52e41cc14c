"""YAML read by libyaml gives what PyYAML's own reader gives: the same values, lines and columns,
and no text accepted that PyYAML refuses (problems are always reported by PyYAML's reader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content.authoring import yamlsafe
from icbt_content.authoring.yamlsafe import load_yaml

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for folder in ("programmes", "tests/fixtures", "locales", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                found.append((str(path.relative_to(ROOT)), path.read_text("utf-8", "replace")))
            elif path.suffix == ".md" and path.is_file():
                text = path.read_text("utf-8", "replace")
                if text.startswith("---\n") and "\n---" in text[3:]:
                    found.append((str(path.relative_to(ROOT)), text[4 : text.index("\n---", 3)]))
    return found


HOSTILE = [
    "a: &x 1\nb: *x\n",
    "a: !!python/object:os.system x\n",
    "a: [1, 2\n",
    "a:\n\t- b\n",
    "a: b: c\n",
    "a: 1\na: 2\n",
    "? [a]\n: 1\n",
    "- \x07bell\n",
    "a: 'unclosed\n",
    "key: value\n  bad: indent\n",
    "<<: {a: 1}\n",
    "a: 2024-01-01\nb: 0x10\nc: 1e3\nd: .inf\ne: ~\nf: yes\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: |\n  block\n  text\nb: >-\n  folded\n",
    "---\na: 1\n---\nb: 2\n",
    "",
    "# only a comment\n",
]


def _located(kind: type, text: str) -> tuple[object, ...]:
    try:
        got = yamlsafe._located(kind, text, "f.yaml", 3)
    except Exception as exc:
        return ("error", type(exc).__name__)
    return (got.data, got.lines, got.cols)


def test_every_yaml_of_the_repository_reads_the_same() -> None:
    texts = _texts()
    assert len(texts) > 100
    for name, text in texts:
        slow = _located(yamlsafe._PlainComposer, text)
        fast = _located(yamlsafe._FastComposer, text)
        if slow[0] == "error":
            assert fast[0] == "error", name
        else:
            assert fast == slow, name


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_yaml_reads_and_fails_the_same(text: str) -> None:
    slow = _located(yamlsafe._PlainComposer, text)
    fast = _located(yamlsafe._FastComposer, text)
    if slow[0] == "error":
        assert fast[0] == "error"
    else:
        assert fast == slow
    assert load_yaml(text, "f.yaml", 3) == _slow_only(text)


def _slow_only(text: str) -> object:
    fast = yamlsafe._FAST
    yamlsafe._FAST = False
    try:
        return load_yaml(text, "f.yaml", 3)
    finally:
        yamlsafe._FAST = fast


@pytest.mark.parametrize(
    "text",
    [
        "x: " + "[" * 100 + "]" * 100,
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)),
        "- [" + ", ".join(["1"] * 200) + "]\n",
    ],
)
def test_limits_are_reported_at_the_same_place(text: str) -> None:
    assert load_yaml(text, "f.yaml", 3) == _slow_only(text)
