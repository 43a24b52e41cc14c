"""A symbolic link in programmes/ or locales/ never makes the build read or publish outside."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.cli import run
from icbt_content.i18n.workflow import update
from icbt_content.inputs import files_under, leaves_project
from icbt_content.pipeline.check import check_project

FIXTURES = Path(__file__).parent.parent / "fixtures"
SECRET = "TOP-SECRET-PRIVATE-KEY"
FRAME = """frame:
  what: A local case example.
  who: [translator]
  when: 2026-01-01
  planned: true
  type: substituting
  fidelity_consistent: true
  reason: Local.
  reasons: [culture]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The i18n sample project (a programme, French and Arabic catalogs), and an outside folder."""
    shutil.copytree(FIXTURES / "i18n" / "project", tmp_path / "project")
    (tmp_path / "outside").mkdir()
    return tmp_path / "project"


def _move_out(project: Path, relative: str) -> Path:
    """Move ``project/relative`` outside the project and leave a link to it in its place."""
    source = project / relative
    target = project.parent / "outside" / relative.replace("/", "--")
    shutil.move(source, target)
    source.symlink_to(target, target_is_directory=target.is_dir())
    return target


def _add_secret(path: Path) -> None:
    """Put the secret into a Markdown or PO file where it would be published."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        path.write_text(text.rstrip("\n") + f"\n\n{SECRET}\n", encoding="utf-8")
    else:
        path.write_text(text.replace('msgstr "', f'msgstr "{SECRET} ', 3), encoding="utf-8")


def _assert_refused(project: Path, link: str, *, checked: bool = True) -> None:
    out = project.parent / "site"
    report = build_site(project, out)
    found = [d for d in report.diagnostics if d.code == "ICBT110"]
    assert not report.ok
    assert [d.file for d in found] == [link], [d.format() for d in report.diagnostics]
    assert "symbolic link" in found[0].message and found[0].hint
    assert not out.exists(), "nothing is written"
    for root, _, files in os.walk(project.parent):  # links are not followed
        for path in (Path(root) / name for name in files):
            if "outside" in path.parts or path.is_symlink() or path.name == ".env":
                continue
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    if checked:
        loaded = check_project(project)
        codes = {(d.code, d.file) for item in loaded for d in item.diagnostics}
        assert ("ICBT110", link) in codes


def test_a_media_folder_linked_out_publishes_nothing(project: Path) -> None:
    outside = _move_out(project, "programmes/demo/media")
    (outside / "id_rsa").write_text(f"-----BEGIN {SECRET}-----\n")
    _assert_refused(project, "programmes/demo/media", checked=False)


def test_a_media_file_linked_out_publishes_nothing(project: Path) -> None:
    secret = project.parent / "outside" / "id_rsa"
    secret.write_text(f"-----BEGIN {SECRET}-----\n")
    (project / "programmes/demo/media/key.svg").symlink_to(secret)
    _assert_refused(project, "programmes/demo/media/key.svg", checked=False)


def test_a_media_subfolder_linked_out_publishes_nothing(project: Path) -> None:
    (project.parent / "outside" / "ssh").mkdir()
    (project.parent / "outside" / "ssh" / "id_rsa").write_text(SECRET)
    (project / "programmes/demo/media/keys").symlink_to(project.parent / "outside" / "ssh")
    _assert_refused(project, "programmes/demo/media/keys", checked=False)


def test_a_page_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "programmes/demo/modules/start/02-reflect.md")
    _add_secret(target)
    _assert_refused(project, "programmes/demo/modules/start/02-reflect.md")


def test_a_module_folder_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "programmes/demo/modules/practice")
    _add_secret(target / "01-try-it.md")
    _assert_refused(project, "programmes/demo/modules/practice")


def test_a_whole_programme_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "programmes/demo")
    _add_secret(target / "modules/start/01-welcome.md")
    _assert_refused(project, "programmes/demo")


def test_the_crisis_page_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "programmes/demo/crisis.md")
    _add_secret(target)
    _assert_refused(project, "programmes/demo/crisis.md")


def test_a_guidance_template_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "programmes/demo/guidance/welcome.md")
    _add_secret(target)
    _assert_refused(project, "programmes/demo/guidance/welcome.md")


def test_a_catalog_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "locales/fr/demo.po")
    _add_secret(target)
    _assert_refused(project, "locales/fr/demo.po", checked=False)
    with pytest.raises(Exception, match="ICBT110"):
        update(project, ["fr"])


def test_a_locale_file_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "locales/fr/locale.yaml")
    target.write_text(target.read_text(encoding="utf-8").replace("name:", f"name: {SECRET}", 1))
    _assert_refused(project, "locales/fr/locale.yaml", checked=False)


def test_a_whole_locale_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "locales/fr")
    _add_secret(target / "demo.po")
    _assert_refused(project, "locales/fr", checked=False)


def test_an_adaptation_linked_out_is_not_read(project: Path) -> None:
    outside = project.parent / "outside" / "adapted.md"
    outside.write_text(
        f"---\nreplaces: box sam-starts\nsource_hash: 0\ntitle: T\n{FRAME}---\n\n{SECRET}\n"
    )
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True)
    (folder / "sam-starts.md").symlink_to(outside)
    _assert_refused(project, "locales/fr/adaptations/demo/sam-starts.md", checked=False)


def test_a_measure_translation_linked_out_is_not_read(project: Path) -> None:
    target = _move_out(project, "locales/fr/measures/phq9.yaml")
    target.write_text(target.read_text(encoding="utf-8").replace("title:", f"title: {SECRET}", 1))
    _assert_refused(project, "locales/fr/measures/phq9.yaml", checked=False)


def test_a_programme_measure_linked_out_is_not_read(project: Path) -> None:
    library = Path(__file__).parents[2] / "src/icbt_content/measures/library/phq9.yaml"
    outside = project.parent / "outside" / "phq9.yaml"
    outside.write_text(library.read_text(encoding="utf-8").replace("title:", f"title: {SECRET}", 1))
    (project / "programmes/demo/measures").mkdir()
    (project / "programmes/demo/measures/phq9.yaml").symlink_to(outside)
    _assert_refused(project, "programmes/demo/measures/phq9.yaml")


def test_licensed_wording_linked_out_is_not_read(project: Path) -> None:
    (project / "licensed").mkdir()
    outside = project.parent / "outside" / "phq9.yaml"
    outside.write_text(f"title: {SECRET}\n")
    (project / "licensed" / "phq9.yaml").symlink_to(outside)
    assert leaves_project(project / "licensed" / "phq9.yaml", project) is not None


def test_a_link_to_the_projects_own_other_files_is_refused(project: Path) -> None:
    (project / ".env").write_text(f"API_KEY={SECRET}\n")
    (project / "programmes/demo/media/env.svg").symlink_to(Path("../../../.env"))
    _assert_refused(project, "programmes/demo/media/env.svg", checked=False)


def test_links_that_stay_in_the_sources_are_followed(project: Path) -> None:
    """A programme may share media and pages with another by linking to them."""
    shared = project / "programmes" / "shared-media"
    shutil.move(project / "programmes/demo/media", shared)
    (project / "programmes/demo/media").symlink_to(Path("../shared-media"))
    page = project / "programmes/demo/modules/start/02-reflect.md"
    shutil.move(page, project / "programmes" / "shared-reflect.md")
    page.symlink_to(Path("../../../shared-reflect.md"))
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    assert (project / "site/demo/media/cycle.svg").is_file()
    assert (project / "site/demo/en-GB/start/reflect/index.html").is_file()


def test_a_link_loop_in_media_ends(project: Path) -> None:
    (project / "programmes/demo/media/loop").symlink_to(Path(".."))
    files, problems = files_under(project / "programmes/demo/media", project)
    assert [f.name for f in files].count("cycle.svg") == 1 and problems == []


def test_the_cli_reports_the_link_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _move_out(project, "programmes/demo/media")
    assert run(["build", "--project", str(project), "-q"]) == 1
    err = capsys.readouterr().err
    assert "programmes/demo/media:1:1: error: 'programmes/demo/media' is a symbolic link" in err
    assert "[ICBT110]" in err and "internal error" not in err
