"""How the tests are laid out: unique module names (pytest imports test modules by file name,
with no packages: two of one name break collection), and one reader of ``-- path --`` fixtures."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from fixture_files import SECTION

TESTS = Path(__file__).parent


def test_test_modules_have_unique_names() -> None:
    names = Counter(
        path.name for path in TESTS.rglob("test_*.py") if "node_modules" not in path.parts
    )
    assert [name for name, count in names.items() if count > 1] == []


#: What reading ``-- path --`` sections takes: a pattern for the line, or a test of its start.
_SECTION_READER = re.compile(r"^\^?--\s|-- \(|^-- $|^ --$")


def test_one_reader_for_inline_fixture_files() -> None:
    """Only fixture_files.py splits ``-- path --`` sections; every other test calls it."""
    readers = sorted(
        f"{path.relative_to(TESTS)}:{node.lineno}"
        for path in TESTS.rglob("*.py")
        if "node_modules" not in path.parts and path.name != "fixture_files.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _SECTION_READER.search(node.value)
    )
    assert readers == []
    assert _SECTION_READER.search(SECTION.pattern)  # it finds the one reader there is
