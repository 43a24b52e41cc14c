"""Commands that write never destroy: --out may not be the sources, nor anything we did not make."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.cli import run
from icbt_content.outputs import EXPORT, SITE, OutputRefused, check_output_folder, write_owned

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (links not followed) with a digest of its content."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "link:" + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A folder holding the project and a sibling folder of someone's work."""
    shutil.copytree(FIXTURES / "projects" / "basic", tmp_path / "project")
    (tmp_path / "project" / "locales" / "fr").mkdir(parents=True)
    (tmp_path / "project" / "locales" / "fr" / "locale.yaml").write_text("name: Français\n")
    (tmp_path / "project" / "templates").mkdir()
    (tmp_path / "project" / "templates" / "keep.txt").write_text("mine")
    (tmp_path / "project" / "licensed").mkdir()
    (tmp_path / "project" / "licensed" / "keep.txt").write_text("mine")
    (tmp_path / "sibling").mkdir()
    (tmp_path / "sibling" / "thesis.md").write_text("years of work")
    return tmp_path


REFUSED_AS_SOURCES = [
    ".",
    "programmes",
    "locales",
    "templates",
    "licensed",
    "programmes/demo",
    "programmes/demo/media",
    "programmes/demo/media/site",
    "programmes/demo/modules/start/site",
    "locales/fr/site",
    "..",
]


@pytest.mark.parametrize("out", REFUSED_AS_SOURCES)
def test_build_refuses_the_project_and_its_sources(
    world: Path, out: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world / "project")
    before = _tree(world)
    assert run(["build", "--out", out, "-q"]) == 1
    err = capsys.readouterr().err
    assert "[ICBT704]" in err and "internal error" not in err
    assert _tree(world) == before


@pytest.mark.parametrize("out", ["/", "~"])
def test_build_refuses_the_root_and_the_home_folder(
    world: Path, out: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(world / "sibling"))
    before = _tree(world)
    target = str(Path(out).expanduser())
    assert run(["build", "--project", str(world / "project"), "--out", target, "-q"]) == 1
    assert "[ICBT704]" in capsys.readouterr().err
    assert _tree(world) == before


def test_build_refuses_an_existing_file(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _tree(world)
    out = world / "sibling" / "thesis.md"
    assert run(["build", "--project", str(world / "project"), "--out", str(out), "-q"]) == 1
    assert "[ICBT705]" in capsys.readouterr().err
    assert _tree(world) == before


def test_build_refuses_a_symlink_and_keeps_what_it_points_to(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (world / "out").symlink_to(world / "sibling", target_is_directory=True)
    before = _tree(world)
    assert run(["build", "--project", str(world / "project"), "--out", str(world / "out")]) == 1
    assert "[ICBT705]" in capsys.readouterr().err
    assert _tree(world) == before


def test_build_refuses_a_symlink_to_the_sources(world: Path) -> None:
    (world / "out").symlink_to(world / "project" / "programmes", target_is_directory=True)
    before = _tree(world)
    report = build_site(world / "project", world / "out")
    assert not report.ok and [d.code for d in report.diagnostics] == ["ICBT705"]
    assert _tree(world) == before


def test_build_refuses_a_folder_it_did_not_make(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(world)
    out = world / "sibling"
    assert run(["build", "--project", str(world / "project"), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "[ICBT705]" in err and ".icbt-site" in err
    assert _tree(world) == before


def test_build_refuses_a_folder_with_another_tools_marker(world: Path) -> None:
    out = world / "other"
    out.mkdir()
    (out / ".icbt-site").write_text("some-other-tool site\n")
    (out / "index.html").write_text("theirs")
    report = build_site(world / "project", out)
    assert [d.code for d in report.diagnostics] == ["ICBT705"]
    assert (out / "index.html").read_text() == "theirs"


def test_build_writes_a_new_or_empty_folder_and_replaces_its_own_site(world: Path) -> None:
    empty = world / "empty"
    empty.mkdir()
    assert build_site(world / "project", empty).ok
    assert (empty / ".icbt-site").read_bytes() == SITE.content
    assert build_site(world / "project", empty).ok, "a site the build made is replaced"
    assert build_site(world / "project", world / "new" / "nested" / "site").ok
    assert build_site(world / "project").ok, "the default site/ inside the project"
    assert (world / "project" / "site" / "index.html").is_file()


def test_the_marker_names_the_tool_and_format_and_nothing_else(world: Path) -> None:
    assert SITE.content == b"icbt-content site\nformat: 1\n"
    assert EXPORT.content == b"icbt-content export\nformat: 1\n"
    assert build_site(world / "project", world / "one").ok
    assert build_site(world / "project", world / "two").ok
    assert _tree(world / "one") == _tree(world / "two")


def test_a_relative_out_is_checked_where_it_really_is(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world / "project" / "programmes")
    problem = check_output_folder(Path("demo/../../programmes"), world / "project")
    assert problem is not None and problem.code == "ICBT704"
    problem = check_output_folder(Path("../site"), world / "project")
    assert problem is None


def test_a_source_folder_linked_from_elsewhere_is_still_protected(world: Path) -> None:
    real = world / "shared-programmes"
    shutil.move(world / "project" / "programmes", real)
    (world / "project" / "programmes").symlink_to(real, target_is_directory=True)
    problem = check_output_folder(real / "demo" / "media", world / "project")
    assert problem is not None and problem.code == "ICBT704"
    problem = check_output_folder(world, world / "project")
    assert problem is not None and problem.code == "ICBT704"


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("out", [".", "programmes", "programmes/demo/media", ".."])
def test_export_refuses_the_sources(
    world: Path, out: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world / "project")
    before = _tree(world)
    assert run(["export", "--format", "json", "--out", out, "-q"]) == 1
    assert "[ICBT704]" in capsys.readouterr().err
    assert _tree(world) == before


def test_export_refuses_a_folder_it_did_not_make_and_reuses_its_own(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(world / "project")
    before = _tree(world)
    assert (
        run(["export", "--project", project, "--format", "json", "--out", str(world / "sibling")])
        == 1
    )
    assert "[ICBT705]" in capsys.readouterr().err
    assert _tree(world) == before
    out = str(world / "exports")
    assert run(["export", "--project", project, "--format", "json", "--out", out, "-q"]) == 0
    assert (world / "exports" / ".icbt-export").read_bytes() == EXPORT.content
    assert run(["export", "--project", project, "--format", "json", "--out", out, "-q"]) == 0
    assert (world / "exports" / "json" / "demo.en-GB.json").is_file()


# -- i18n ------------------------------------------------------------------------------------


def test_i18n_does_not_write_through_a_symlinked_catalog(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = world / "project"
    assert run(["i18n", "init", "fr", "--project", str(project), "-q"]) == 0
    victim = world / "sibling" / "thesis.md"
    catalog = project / "locales" / "fr" / "demo.po"
    shutil.copy(catalog, world / "sibling" / "demo.po")
    catalog.unlink()
    catalog.symlink_to(world / "sibling" / "demo.po")
    template = project / "locales" / "templates" / "demo.pot"
    template.unlink()
    template.symlink_to(victim)
    before = _tree(world / "sibling")
    assert run(["i18n", "extract", "--project", str(project), "-q"]) == 1
    assert "[ICBT706]" in capsys.readouterr().err
    assert run(["i18n", "update", "--project", str(project), "-q"]) == 1
    err = capsys.readouterr().err
    assert "[ICBT706]" in err or "[ICBT110]" in err
    assert _tree(world / "sibling") == before
    assert template.is_symlink() and catalog.is_symlink()


def test_i18n_does_not_write_into_a_locales_folder_linked_out(world: Path) -> None:
    project = world / "project"
    shutil.move(project / "locales", world / "sibling" / "locales")
    (project / "locales").symlink_to(world / "sibling" / "locales", target_is_directory=True)
    before = _tree(world / "sibling")
    assert run(["i18n", "init", "de", "--project", str(project), "-q"]) == 1
    assert _tree(world / "sibling") == before


def test_i18n_init_does_not_write_a_linked_locale_file(world: Path) -> None:
    project = world / "project"
    (project / "locales" / "de").mkdir()
    (project / "locales" / "de" / "locale.yaml").symlink_to(world / "sibling" / "new.yaml")
    before = _tree(world / "sibling")
    assert run(["i18n", "init", "de", "--project", str(project), "-q"]) == 1
    assert _tree(world / "sibling") == before, "nothing is created where the link points"


def test_i18n_compile_does_not_write_through_a_linked_mo_file(world: Path) -> None:
    project = world / "project"
    assert run(["i18n", "init", "fr", "--project", str(project), "-q"]) == 0
    (project / "locales" / "fr" / "demo.mo").symlink_to(world / "sibling" / "thesis.md")
    assert run(["i18n", "compile", "--project", str(project), "-q"]) == 1
    assert (world / "sibling" / "thesis.md").read_text() == "years of work"


def test_i18n_status_html_never_overwrites_sources_or_other_files(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = world / "project"
    page = project / "programmes" / "demo" / "modules" / "start" / "01-welcome.md"
    before = page.read_bytes()
    args = ["i18n", "status", "--project", str(project), "--html"]
    assert run([*args, str(page)]) == 1
    assert "[ICBT704]" in capsys.readouterr().err
    assert page.read_bytes() == before
    assert run([*args, str(world / "sibling" / "thesis.md")]) == 1
    assert (world / "sibling" / "thesis.md").read_text() == "years of work"
    dashboard = world / "coverage.html"
    assert run([*args, str(dashboard)]) == 0
    assert run([*args, str(dashboard)]) == 0, "a dashboard written before is replaced"


def test_write_owned_refuses_paths_outside_the_owned_folder(world: Path) -> None:
    project = world / "project"
    with pytest.raises(OutputRefused) as refused:
        write_owned(project, project / "programmes" / "demo" / "x.po", b"x")
    assert refused.value.diagnostic.code == "ICBT706"
    with pytest.raises(OutputRefused):
        write_owned(project, project / "locales" / ".." / "programmes" / "x.po", b"x")
    (project / "locales" / "out").symlink_to(world / "sibling", target_is_directory=True)
    with pytest.raises(OutputRefused):
        write_owned(project, project / "locales" / "out" / "new" / "x.po", b"x")
    assert not (world / "sibling" / "new").exists()
    path = write_owned(project, project / "locales" / "fr" / "new" / "x.po", b"fine")
    assert path.read_bytes() == b"fine"
