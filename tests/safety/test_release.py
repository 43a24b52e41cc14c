"""Releases: signed off, immutable, hashed file by file, shown on the site, compared with diff."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from icbt_content import build_site
from icbt_content.cli import run
from icbt_content.safety.files import AlreadyExistsError, OutsideProjectError, write_new
from icbt_content.safety.release import list_releases, read_release, release_path, total_hash

REPO = Path(__file__).parent.parent.parent
SIGN = ["--signed-off-by", "Dr Ada Example", "--role", "Clinical Safety Officer"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The social anxiety sample programme with every locale, in a folder a test may change."""
    target = tmp_path / "project"
    shutil.copytree(REPO / "programmes" / "sad", target / "programmes" / "sad")
    shutil.copytree(REPO / "locales", target / "locales")
    (target / "notes.md").write_text("First release.\n\nWeekly check-in added.\n")
    _set_version(target, "1.0.0")  # whatever the sample's own version is now
    return target


def _release(project: Path, version: str = "1.0.0", *extra: str) -> int:
    args = ["release", "sad", "--project", str(project), "--version", version, *SIGN]
    return run([*args, "--notes", str(project / "notes.md"), "--date", "2025-06-02", *extra])


def _set_version(project: Path, version: str) -> None:
    manifest = project / "programmes/sad/programme.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text(
        "".join(f"version: {version}\n" if ln.startswith("version:") else ln for ln in lines)
    )


def test_release_records_every_file_of_the_programme_and_its_translations(project: Path) -> None:
    assert _release(project) == 0
    path = release_path(project, "sad", "1.0.0")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (data["programme"], data["version"], data["date"]) == ("sad", "1.0.0", "2025-06-02")
    assert (data["signed_off_by"], data["role"]) == ("Dr Ada Example", "Clinical Safety Officer")
    assert data["notes"] == "First release.\n\nWeekly check-in added.\n"
    files = data["files"]
    expected = [
        "programmes/sad/programme.yaml",
        "programmes/sad/check-in.md",
        "programmes/sad/crisis.md",
        "programmes/sad/ids.lock",
        "programmes/sad/modules/surveys/02-making-a-survey.md",
        "programmes/sad/guidance/scores-worse.md",
        "programmes/sad/measures/sad-weekly.yaml",
        "locales/en-GB/locale.yaml",
        "locales/zh-Hant-HK/sad.po",
        "locales/zh-Hant-HK/interface.po",
        "locales/zh-Hant-HK/locale.yaml",
        "locales/zh-Hant-HK/measures/sad-weekly.yaml",
        "locales/zh-Hant-HK/adaptations/sad/farah-survey.md",
        "locales/ar/sad.po",
        "icbt-content:measures/phq9.yaml",
    ]
    for name in expected:
        assert name in files, name
    # Not the programme's: another programme's catalog, the generated templates.
    assert "locales/zh-Hant-HK/ptsd.po" not in files
    assert not any(name.startswith("locales/templates/") for name in files)
    # Every page of the programme, each with the hash of its bytes; one total for them all.
    pages = {str(p.relative_to(project)) for p in (project / "programmes/sad").rglob("*.md")}
    assert pages <= set(files)
    for name in pages:
        digest = hashlib.sha256((project / name).read_bytes()).hexdigest()
        assert files[name] == f"sha256:{digest}"
    assert data["total"] == total_hash(files)
    # How far each translation had got.
    assert "surveys" in data["translations"]["zh-Hant-HK"]["published"]
    assert "surveys" in data["translations"]["ar"]["fallback"]
    assert "introduction" in data["translations"]["ar"]["published"]
    # Written whole: nothing half-written is left beside it; readable like any project file.
    assert [p.name for p in path.parent.iterdir()] == ["1.0.0.yaml"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_release_is_never_overwritten(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _release(project) == 0
    path = release_path(project, "sad", "1.0.0")
    before = path.read_bytes()
    (project / "notes.md").write_text("Something else.\n")
    assert _release(project) == 1
    assert "releases/sad/1.0.0.yaml already exists" in capsys.readouterr().err
    assert path.read_bytes() == before
    with pytest.raises(AlreadyExistsError):
        write_new(project, path, b"x")
    assert path.read_bytes() == before


def test_editing_a_released_version_is_an_error_in_check_and_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(project) == 0
    assert run(["check", "--project", str(project), "--strict", "-q"]) == 0
    page = project / "programmes/sad/modules/surveys/03-what-people-said.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Twenty people", "Thirty people"))
    capsys.readouterr()
    assert run(["check", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert (
        "programmes/sad/programme.yaml:3:1: error: version 1.0.0 was signed off on 2025-06-02 "
        "by Dr Ada Example, but 1 file(s) have changed since: "
        "programmes/sad/modules/surveys/03-what-people-said.md [ICBT830]"
    ) in err
    report = build_site(project, project / "site")
    assert not report.ok and [d.code for d in report.diagnostics.errors] == ["ICBT830"]
    # A translation is part of the release too.
    page.write_text(page.read_text(encoding="utf-8").replace("Thirty people", "Twenty people"))
    catalog = project / "locales/zh-Hant-HK/locale.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n")
    assert run(["check", "--project", str(project), "-q"]) == 1
    assert "locales/zh-Hant-HK/locale.yaml [ICBT830]" in capsys.readouterr().err
    # A new version is a draft until it is signed off.
    _set_version(project, "1.0.1")
    assert run(["check", "--project", str(project), "--strict", "-q"]) == 0


def test_the_site_shows_the_version_and_its_sign_off(project: Path) -> None:
    def footer(locale: str) -> str:
        page = (project / f"site/sad/{locale}/index.html").read_text(encoding="utf-8")
        return page[page.index('<p class="release">') :].split("</p>")[0]

    assert build_site(project, project / "site", strict=True).ok
    assert "version 1.0.0 · <strong>draft: not signed off</strong>" in footer("en-GB")
    assert _release(project) == 0
    assert build_site(project, project / "site", strict=True).ok
    assert "version 1.0.0 · signed off on 2 June 2025" in footer("en-GB")
    assert "2025年6月2日" in footer("zh-Hant-HK")
    for page in (project / "site/sad/en-GB").rglob("index.html"):
        assert "signed off on 2 June 2025" in page.read_text(encoding="utf-8"), page


def test_only_content_that_passes_the_strict_check_is_released(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = project / "programmes/sad/modules/surveys/01-why-ask-others.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("---\n\n", "distressing: true\n---\n\n", 1)
    )
    assert _release(project) == 1
    err = capsys.readouterr().err
    assert "[ICBT306]" in err and "release refused" in err
    assert not release_path(project, "sad", "1.0.0").exists()


def test_the_version_must_be_the_one_in_programme_yaml(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(project, "2.0.0") == 1
    assert "set 'version: 2.0.0' in programme.yaml first" in capsys.readouterr().err
    assert list_releases(project, "sad") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "1.0.0", "--role", "CSO", "--notes", "notes.md"], "--signed-off-by"),
        (["--version", "1.0.0", *SIGN, "--notes", "missing.md"], "cannot read the notes file"),
        (["--version", "1.0.0", *SIGN, "--notes", "notes.md", "--date", "2 June"], "--date"),
        (["--version", "../1", *SIGN, "--notes", "notes.md"], "cannot name a release"),
    ],
)
def test_release_usage(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(project)
    code = run(["release", "sad", "--project", str(project), *args])
    assert message in capsys.readouterr().err
    assert code == (1 if "cannot name" in message else 2)
    assert run(["release", "nope", "--project", str(project), "--version", "1", *SIGN]) == 2


def test_a_changed_record_is_refused(project: Path) -> None:
    assert _release(project) == 0
    path = release_path(project, "sad", "1.0.0")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Dr Ada Example", "Someone Else", 1))
    release, found = read_release(project, "sad", "1.0.0")
    assert release is not None  # who signed is not hashed, but the files are:
    first_hash = next(
        line for line in text.splitlines() if "sha256:" in line and ": sha256" in line
    )
    path.write_text(text.replace(first_hash, first_hash[:-4] + "0000"))
    release, found = read_release(project, "sad", "1.0.0")
    assert release is None and [d.code for d in found] == ["ICBT831"]


def test_release_diff_lists_changed_pages_and_translations_that_fell_behind(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(project) == 0
    # 1.1.0: a survey page is rewritten, and a sentence of the first module changes, which the
    # Chinese and Arabic translations have not caught up with yet.
    survey = project / "programmes/sad/modules/surveys/02-making-a-survey.md"
    survey.write_text(survey.read_text(encoding="utf-8") + "\nAsk ten people or more.\n")
    welcome = project / "programmes/sad/modules/introduction/01-welcome.md"
    text = welcome.read_text(encoding="utf-8")
    assert "Some pages may stir up hard feelings." in text
    welcome.write_text(text.replace("may stir up hard", "may bring up hard"))
    _set_version(project, "1.1.0")
    assert _release(project, "1.1.0") == 0
    capsys.readouterr()
    assert run(["release", "diff", "1.0.0", "1.1.0", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "sad: 1.0.0 (signed off on 2025-06-02 by Dr Ada Example, Clinical Safety Officer)\n"
    )
    assert "programme\n  changed: programme.yaml\n" in out
    assert "module introduction\n  changed: page 01-welcome\n" in out
    assert "module surveys\n  changed: page 02-making-a-survey\n" in out
    assert "locale zh-Hant-HK" not in out  # no translation file changed
    assert "  ar: fell behind: introduction (now shown in the source language)\n" in out
    assert "  zh-Hant-HK: fell behind: introduction, surveys (now shown" in out
    # Against the sources as they are now.
    survey.write_text(survey.read_text(encoding="utf-8") + "\nOne more line.\n")
    assert run(["release", "diff", "sad@1.1.0", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "-> the working copy (version 1.1.0 in programme.yaml)" in out
    assert "module surveys\n  changed: page 02-making-a-survey\n" in out
    assert "introduction" not in out.split("Translations")[0]
    assert run(["release", "diff", "9.9.9", "--project", str(project)]) == 2
    assert "released versions: 1.0.0, 1.1.0" in capsys.readouterr().err


def test_writes_stay_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "safety").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(OutsideProjectError):
        write_new(project, project / ".." / "outside" / "x.yaml", b"x")
    (project / "link").symlink_to(outside)
    with pytest.raises(OutsideProjectError):
        write_new(project, project / "link" / "x.yaml", b"x")
    assert list(outside.iterdir()) == []
    write_new(project, project / "safety" / "x.yaml", b"x")
    assert (project / "safety/x.yaml").read_bytes() == b"x"


def test_the_sample_programmes_are_released() -> None:
    for programme_id in ("sad", "ptsd"):
        versions = list_releases(REPO, programme_id)
        assert versions, programme_id
        for version in versions:
            release, problems = read_release(REPO, programme_id, version)
            assert release is not None and not problems, (programme_id, version)
