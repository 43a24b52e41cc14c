"""Data-driven diagnostics: inline projects in, the exact diagnostics out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icbt_content.diagnostics import Diagnostics
from icbt_content.pipeline import build_site
from icbt_content.pipeline.check import check_project

FIXTURES = Path(__file__).parent / "fixtures" / "diagnostics"
_SECTION = re.compile(r"^-- (.+?) --$", re.MULTILINE)

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


def parse_fixture(text: str) -> tuple[dict[str, str], str]:
    """Split a fixture into its files and its expected output."""
    parts = _SECTION.split(text)
    files = dict(BASE)
    expected = ""
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body[1:] if body.startswith("\n") else body
        if name in ("expected", "expected from build"):
            expected = body.strip("\n")
        else:
            files[name] = body
    return files, expected


def run_check(root: Path) -> str:
    found = Diagnostics()
    for loaded in check_project(root):
        found.extend(loaded.diagnostics)
    return "\n".join(d.format() for d in found)


def run_build(root: Path) -> str:
    """What a build reports (translations and generated pages are checked only there)."""
    report = build_site(root, root / "site")
    return "\n".join(d.format() for d in report.diagnostics)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_diagnostics(fixture: Path, tmp_path: Path) -> None:
    files, expected = parse_fixture(fixture.read_text(encoding="utf-8"))
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    run = run_build if "\n-- expected from build --\n" in fixture.read_text("utf-8") else run_check
    assert run(tmp_path) == expected
