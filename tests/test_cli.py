"""The icbt command: exit codes, messages, scaffold."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from icbt_content.cli import run


def test_check_clean_project_exits_0(basic_project: Path, capsys: pytest.CaptureFixture) -> None:
    assert run(["check", "--project", str(basic_project)]) == 0


def test_check_with_errors_exits_1_and_reports_all(
    basic_project: Path, capsys: pytest.CaptureFixture
) -> None:
    page = basic_project / "programmes/demo/modules/start/01-welcome.md"
    text = page.read_text().replace("title: Welcome", "titel: Welcome")
    page.write_text(text.replace("id: habits", "id: mood-now"))
    assert run(["check", "--project", str(basic_project)]) == 1
    err = capsys.readouterr().err
    assert "01-welcome.md:2:1: error: unknown field 'titel' in page front matter [ICBT102]" in err
    assert "hint: did you mean 'title'?" in err
    assert "Traceback" not in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture) -> None:
    assert run(["build", "--no-such-option"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    assert run(["check", "--project", "/no/such/folder"]) == 2


def test_strict_turns_warnings_into_failure(basic_project: Path) -> None:
    page = basic_project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(page.read_text().replace("title: Looking back", "title: X\ndistressing: true"))
    assert run(["check", "--project", str(basic_project)]) == 0
    assert run(["check", "--project", str(basic_project), "--strict"]) == 1


def test_new_programme_scaffold_checks_clean_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run(["new", "programme", "low-mood", "--project", str(tmp_path)]) == 0
    assert (tmp_path / "programmes/low-mood/programme.yaml").is_file()
    # The scaffold's locale file has no crisis services: nothing is published until a person
    # fills them in.
    capsys.readouterr()
    assert run(["check", "--project", str(tmp_path), "--strict"]) == 1
    assert "[ICBT800]" in capsys.readouterr().err
    assert run(["build", "-q", "--project", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    locale = tmp_path / "locales/en-GB/locale.yaml"
    locale.write_text(
        locale.read_text(encoding="utf-8").replace(
            "crisis: []",
            'crisis:\n  - {name: Samaritans, contact: "116 123", href: "tel:116123",'
            ' hours: 24 hours, checked: "2026-11-27"}',
        ),
        encoding="utf-8",
    )
    assert run(["check", "--project", str(tmp_path), "--strict"]) == 0
    assert run(["build", "-q", "--project", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out/low-mood/en-GB/getting-started/welcome/index.html").is_file()
    assert run(["new", "programme", "low-mood", "--project", str(tmp_path)]) == 2
    assert run(["new", "programme", "Bad Id", "--project", str(tmp_path)]) == 2


def test_build_shows_progress_only_on_a_terminal(
    basic_project: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a pipe (a CI log) no carriage returns; -v there gives one line per programme/locale.
    assert run(["build", "--project", str(basic_project)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "3/3 pages" not in err and "built 3 pages" in err
    assert run(["build", "-v", "--project", str(basic_project)]) == 0
    assert "demo en-GB: 3/3 pages\n" in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert run(["build", "--project", str(basic_project)]) == 0
    assert "\rdemo en-GB: 3/3 pages\n" in capsys.readouterr().err
    for quiet in (["build", "-q"], ["-q", "build"], ["build", "--quiet"]):
        assert run([*quiet, "--project", str(basic_project)]) == 0
        assert capsys.readouterr().err == ""


def test_lock_records_ids_and_check_then_guards_them(basic_project: Path) -> None:
    assert run(["lock", "--project", str(basic_project)]) == 0
    lock = basic_project / "programmes/demo/ids.lock"
    assert '"mood-now"' in lock.read_text()
    page = basic_project / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("id: mood-now", "id: mood-today"))
    assert run(["check", "--project", str(basic_project)]) == 1
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(
        manifest.read_text() + "migrations:\n  - exercise: mood-now\n    to: mood-today\n"
    )
    assert run(["check", "--project", str(basic_project)]) == 0


def test_guidance_render_previews_a_message(
    basic_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    context = tmp_path / "context.json"
    context.write_text(
        '{"client": {"first_name": "Priya"}, "therapist": {"name": "Jo"},\n'
        ' "module": {"id": "start", "title": "Getting started"},\n'
        ' "exercises_done": ["Mood", "Your week"]}\n'
    )
    args = ["guidance", "render", "demo/start-done", "--context", str(context)]
    assert run([*args, "--project", str(basic_project)]) == 0
    out = capsys.readouterr().out
    assert "Hello Priya, well done on finishing Getting started." in out
    assert "You did 2 exercises." in out
    assert "[how it works](start/welcome/#how-it-works)" in out

    context.write_text('{"client": {"first_nme": "Priya"}, "therapist": {"name": "Jo"}}')
    assert run([*args, "--project", str(basic_project)]) == 1
    assert "first_nme" in capsys.readouterr().err
