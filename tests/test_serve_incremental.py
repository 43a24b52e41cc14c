"""The preview rebuilds only what an edit touches, and writes only the files that changed: the
served site after each edit is the site a cold build of the edited project makes."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.serve import PREVIEW_CSP, Preview, PreviewState

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
    assert report.ok and preview.rebuilt == ["demo"], "the other programme came from memory"
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


def _add(text: str, after: str = "", path: Path = PAGE) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        page = project / path
        old = page.read_text()
        page.write_text(old.replace(after, after + text, 1) if after else old + text)

    return edit


def _replace(old: str, new: str, path: Path = PAGE) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        file = project / path
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new, 1))

    return edit


#: The pages of the demo programme: a rebuild that renders the whole programme renders them all.
ALL = 3
MODULE = Path("programmes/demo/modules/start/module.md")
GUIDANCE = Path("programmes/demo/guidance/start-done.md")


def _each(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        for one in edits:
            one(project)

    return edit


#: Edits made one after another to one preview: (what, the edit, pages it renders again, or
#: None for a build that fails).
SEQUENCE: list[tuple[str, Callable[[Path], None], int | None]] = [
    ("a sentence (the first rebuild renders the programme)", _add("\nA sentence.\n"), ALL),
    ("another sentence", _add("\nAnother one.\n"), 1),
    ("a sentence in the middle", _add(" Then rest.", "your own pace."), 1),
    (
        "a page title (the page, and the next one's link back to it)",
        _replace("title: Welcome", "title: Hello there"),
        2,
    ),
    (
        "a heading's text, its anchor kept",
        _replace("## How it works", "{#how-it-works}\n## How it goes"),
        1,
    ),
    ("a broken link", _add("\nSee [this](../practice/02-gone.md).\n"), None),
    (
        "the link fixed (a sentence more than the last site)",
        _replace("02-gone.md", "01-try-it.md"),
        1,
    ),
    ("a box's text", _replace("one page each day", "a page a day"), 1),
    ("a heading's anchor, a link to it broken", _replace("{#how-it-works}", "{#how-to}"), None),
    (
        "the links to it fixed",
        _each(
            _replace("#how-it-works", "#how-to", MODULE),
            _replace('"how-it-works"', '"how-to"', GUIDANCE),
        ),
        ALL,
    ),
    ("a body edit after the fix", _add("\nThe end.\n"), 1),
]


def test_each_kind_of_edit_gives_a_cold_builds_site_and_diagnostics(
    project: Path, tmp_path: Path
) -> None:
    preview = Preview(project, tmp_path / "preview" / "site")
    assert preview.build().ok
    for number, (what, edit, rendered) in enumerate(SEQUENCE):
        shown = tree(preview.site)
        edit(project)
        report = preview.build()
        cold = build_site(project, tmp_path / f"cold-{number}", csp=PREVIEW_CSP)
        assert [d.format() for d in report.diagnostics] == [d.format() for d in cold.diagnostics], (
            what
        )
        assert report.ok == cold.ok == (rendered is not None), what
        assert preview.rebuilt == ["demo"], what
        if rendered is None:
            assert tree(preview.site) == shown, what
            continue
        assert tree(preview.site) == tree(tmp_path / f"cold-{number}"), what
        assert preview.memories["demo"].rendered_pages == rendered, what


def test_a_page_waiting_for_the_status_is_answered_when_a_rebuild_is_done() -> None:
    state = PreviewState()
    state.publish(built=True, problems=[])
    seen = state.status()
    assert seen == {"version": 1, "generation": 1, "problems": []}
    answers: list[dict[str, object]] = []
    waiting = threading.Thread(target=lambda: answers.append(state.status(1, wait=30)))
    waiting.start()
    time.sleep(0.2)
    assert answers == [], "no rebuild yet: the answer waits"
    state.publish(built=False, problems=["a.md:1:1: error: broken"])
    waiting.join(timeout=10)
    assert answers == [{"version": 1, "generation": 2, "problems": ["a.md:1:1: error: broken"]}]
    assert state.status(2, wait=0.05)["generation"] == 2, "answered after the wait anyway"


def test_a_prepared_preview_renders_only_the_edited_page_at_the_first_edit(
    project: Path, tmp_path: Path
) -> None:
    preview = Preview(project, tmp_path / "preview" / "site")
    assert preview.build().ok
    preview.warm()
    _sentence(project)
    report = preview.build([project / PAGE])
    assert report.ok and preview.rebuilt == ["demo"]
    assert preview.memories["demo"].rendered_pages == 1
    assert build_site(project, tmp_path / "cold", csp=PREVIEW_CSP).ok
    assert tree(preview.site) == tree(tmp_path / "cold")


def test_a_change_outside_the_programmes_rebuilds_every_programme(
    project: Path, tmp_path: Path
) -> None:
    preview = Preview(project, tmp_path / "preview" / "site")
    assert preview.build().ok
    locale = project / "locales" / "en-GB" / "locale.yaml"
    locale.write_text(locale.read_text() + "\n# a comment\n")
    assert preview.build([locale]).ok
    assert preview.rebuilt == ["demo", "other"]


TRANSLATED = Path(__file__).parent / "fixtures" / "i18n" / "project"
PRACTICE = Path("programmes/demo/modules/practice/01-try-it.md")


def _restore(path: Path) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        (project / path).write_bytes((TRANSLATED / path).read_bytes())

    return edit


#: Edits made one after another to the preview of a programme translated into French and
#: Arabic: (what, the edit, pages it renders again in all locales).
TRANSLATED_SEQUENCE: list[tuple[str, Callable[[Path], None], int]] = [
    ("a sentence (the first rebuild renders the programme)", _add("\nA sentence.\n"), 3 * ALL),
    (
        "another sentence (its module already served in English in fr and ar)",
        _add("\nAnother one.\n"),
        3,
    ),
    ("the page as translated again: its module in fr and ar again", _restore(PAGE), 1 + 2 + 2),
    ("a sentence on the practice page", _add("\nA sentence.\n", path=PRACTICE), 3),
    (
        "a page title: its module in English in fr and ar, the page after it in English",
        _replace("title: Welcome", "title: Hello there"),
        2 + 2 + 2,
    ),
]


def test_each_kind_of_edit_of_a_translated_programme_gives_a_cold_builds_site(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(TRANSLATED, project)
    preview = Preview(project, tmp_path / "preview" / "site")
    assert preview.build().ok
    for number, (what, edit, rendered) in enumerate(TRANSLATED_SEQUENCE):
        edit(project)
        report = preview.build()
        cold = build_site(project, tmp_path / f"cold-{number}", csp=PREVIEW_CSP)
        assert [d.format() for d in report.diagnostics] == [d.format() for d in cold.diagnostics], (
            what
        )
        assert report.ok and cold.ok, what
        assert report.locales == {"demo": ["en-GB", "ar", "fr"]}, what
        assert tree(preview.site) == tree(tmp_path / f"cold-{number}"), what
        assert preview.memories["demo"].rendered_pages == rendered, what
