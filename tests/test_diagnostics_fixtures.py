"""Data-driven diagnostics: inline projects in, the exact diagnostics out."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_files import read_fixture, write_files

from icbt_content.diagnostics import CODES, Diagnostics
from icbt_content.i18n.workflow import check as i18n_check
from icbt_content.pipeline import build_site
from icbt_content.pipeline.check import check_project

FIXTURES = Path(__file__).parent / "fixtures" / "diagnostics"

BASE = {
    "programmes/demo/programme.yaml": (
        "id: demo\ntitle: Demo\nversion: 1.0.0\ncondition: Test\nmodules: [m]\n"
    ),
    "programmes/demo/modules/m/module.md": (
        "---\ntitle: M\n---\n\n## What this module is for\n\nNotes.\n"
    ),
    # Every published locale needs checked crisis services (a fixture may replace this one).
    "locales/en-GB/locale.yaml": (
        (FIXTURES.parent / "projects/basic/locales/en-GB/locale.yaml").read_text(encoding="utf-8")
    ),
}


def run_check(root: Path) -> str:
    found = Diagnostics()
    for loaded in check_project(root):
        found.extend(loaded.diagnostics)
    return "\n".join(d.format() for d in found)


def run_build(root: Path) -> str:
    """What a build reports (translations and generated pages are checked only there)."""
    report = build_site(root, root / "site")
    return "\n".join(d.format() for d in report.diagnostics)


def run_i18n_check(root: Path) -> str:
    """What 'icbt i18n check' reports (catalogs compared with the source)."""
    return "\n".join(d.format() for d in i18n_check(root))


#: The output section a fixture ends with -> what produces that output.
RUNNERS: dict[str, Callable[[Path], str]] = {
    "expected": run_check,
    "expected from build": run_build,
    "expected from i18n check": run_i18n_check,
}


def parse_fixture(text: str) -> tuple[dict[str, str], str, str]:
    """Split a fixture into its files (over the base project), its output section and the
    output expected there."""
    sections = read_fixture(text).sections
    output = next((name for name in sections if name in RUNNERS), "expected")
    files = {name: body for name, body in sections.items() if name not in RUNNERS}
    return {**BASE, **files}, output, sections.get(output, "").strip("\n")


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_diagnostics(fixture: Path, tmp_path: Path) -> None:
    files, output, expected = parse_fixture(fixture.read_text(encoding="utf-8"))
    write_files(tmp_path, files)
    assert RUNNERS[output](tmp_path) == expected


# -- every code is exercised -----------------------------------------------------------------------

TESTS = Path(__file__).parent
#: A diagnostic as printed (``file:line:col: error: message [ICBT101]``), or a measure fixture's
#: ``# expect: ICBT401`` line.
_EXPECTED = re.compile(r"(?:error|warning): .* \[(ICBT\d{3})\]$|^# expect: (ICBT\d{3})\b", re.M)
_NAMED = re.compile(r"^\[?(ICBT\d{3})\]?$|(?:error|warning): .* \[(ICBT\d{3})\](?:\n|$)")


def _codes_in_fixtures() -> set[str]:
    found: set[str] = set()
    for path in (TESTS / "fixtures").rglob("*"):
        if path.is_file() and path.suffix in {".txt", ".md", ".yaml", ".po", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            found.update(a or b for a, b in _EXPECTED.findall(text))
    return found


def _codes_in_named_tests() -> set[str]:
    """Codes a test asserts: in its name (``test_icbt703_...``) or as a string it compares."""
    found: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        if "node_modules" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_icbt"):
                found.add(node.name[5:12].upper())
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(a or b for a, b in _NAMED.findall(node.value))
    return found


def test_every_code_has_a_fixture_or_a_named_test() -> None:
    covered = _codes_in_fixtures() | _codes_in_named_tests()
    assert sorted(set(CODES) - covered) == []
