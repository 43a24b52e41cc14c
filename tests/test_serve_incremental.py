"""The preview rebuilds only what an edit touches, and writes only the files that changed: the
served site after each edit is the site a cold build of the edited project makes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.serve import PREVIEW_CSP, Preview

PAGE = Path("programmes/demo/modules/start/01-welcome.md")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(basic_project: Path) -> Path:
    other = basic_project / "programmes" / "other"
    shutil.copytree(basic_project / "programmes" / "demo", other)
    manifest = other / "programme.yaml"
    manifest.write_text(manifest.read_text().replace("id: demo", "id: other", 1))
    return basic_project


def _sentence(project: Path) -> None:
    page = project / PAGE
    page.write_text(page.read_text() + "\nOne more sentence.\n")


def _title(project: Path) -> None:
    page = project / PAGE
    page.write_text(page.read_text().replace("title: Welcome", "title: Hello there", 1))


def _remove_page(project: Path) -> None:
    (project / "programmes/demo/modules/start/02-reflect.md").unlink()


#: An edit, and how many files of the site it may change at most.
EDITS: dict[str, Callable[[Path], None]] = {
    "a sentence": _sentence,
    "a page title (the nav of its neighbours)": _title,
    "a page removed": _remove_page,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_the_preview_after_an_edit_is_a_cold_build(
    edit: str, project: Path, tmp_path: Path
) -> None:
    preview = Preview(project, tmp_path / "preview" / "site")
    first = preview.build()
    assert first.ok and first.cached == 0
    before = tree(preview.site)
    EDITS[edit](project)
    report = preview.build()
    assert report.ok and report.cached == 1, "the other programme came from memory"
    cold = build_site(project, tmp_path / "cold", csp=PREVIEW_CSP)
    assert cold.ok
    assert tree(preview.site) == tree(tmp_path / "cold")
    assert [d.format() for d in report.diagnostics] == [d.format() for d in cold.diagnostics]
    changed = {p for p, content in tree(preview.site).items() if before.get(p) != content}
    assert 0 < preview.stage.changed < len(before) // 2
    assert changed <= {p for p in before if p.startswith("demo/")} | {"_headers"} | {
        p for p in tree(preview.site) if p.endswith("sw.js")
    }


def test_a_failed_rebuild_keeps_the_last_good_site(project: Path, tmp_path: Path) -> None:
    preview = Preview(project, tmp_path / "preview" / "site")
    assert preview.build().ok
    good = tree(preview.site)
    (project / "programmes/demo/modules/start/module.md").unlink()
    assert not preview.build().ok
    assert tree(preview.site) == good
