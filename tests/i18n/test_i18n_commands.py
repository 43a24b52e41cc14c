"""The icbt i18n commands: extract, init, update, compile, status, check; pybabel extract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from i18n_helpers import set_translation

from icbt_content.cli import run
from icbt_content.i18n.catalog import load_po


def test_extract_writes_templates(project: Path) -> None:
    for pot in (project / "locales/templates").glob("*.pot"):
        pot.unlink()
    assert run(["i18n", "extract", "--project", str(project), "-q"]) == 0
    demo, problems = load_po(project / "locales/templates/demo.pot", "demo.pot")
    assert problems == [] and demo is not None
    contexts = [e.context for e in demo.entries]
    assert contexts[0] == "programme:title" and "start/welcome#how-it-works" in contexts
    assert (project / "locales/templates/interface.pot").is_file()


def test_init_a_locale(project: Path) -> None:
    assert run(["i18n", "init", "zh-Hant-HK", "--project", str(project), "-q"]) == 0
    catalog, _ = load_po(project / "locales/zh-Hant-HK/demo.po", "x")
    assert catalog is not None
    assert catalog.get_header("Language") == "zh_Hant_HK"
    assert catalog.get_header("Plural-Forms") == "nplurals=1; plural=0;"
    assert (project / "locales/zh-Hant-HK/interface.po").is_file()
    assert "direction: ltr" in (project / "locales/zh-Hant-HK/locale.yaml").read_text(
        encoding="utf-8"
    )


def test_init_refuses_a_bad_locale_code(project: Path) -> None:
    assert run(["i18n", "init", "../evil", "--project", str(project), "-q"]) == 2
    assert run(["i18n", "init", "xx-Yyyy-ZZ", "--project", str(project), "-q"]) == 2


def test_status_text_json_html_and_threshold(project: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dashboard = tmp_path / "coverage.html"
    assert run(["i18n", "status", "--project", str(project), "--html", str(dashboard), "-q"]) == 0
    text = capsys.readouterr().out
    assert "fr / demo" in text and "start" in text and "practice" in text
    page = dashboard.read_text(encoding="utf-8")
    assert page.count("class='bar'") >= 10 and "ar: demo" in page
    assert run(["i18n", "status", "--json", "--project", str(project)]) == 0
    data = json.loads(capsys.readouterr().out)
    fr = next(c for c in data["catalogs"] if c["locale"] == "fr" and c["catalog"] == "demo")
    rows = {r["unit"]: r for r in fr["modules"]}
    assert rows["start"]["untranslated"] == 0 and rows["start"]["published"] is True
    assert rows["practice"]["published"] is False and rows["practice"]["untranslated"] == 5
    assert 0 < fr["total"]["percent"] < 100
    assert run(["i18n", "status", "--project", str(project), "--fail-under", "99", "-q"]) == 1
    assert run(["i18n", "status", "--project", str(project), "--fail-under", "1", "-q"]) == 0


def test_check_exit_codes(project: Path) -> None:
    assert run(["i18n", "check", "--project", str(project), "-q"]) == 0
    set_translation(project / "locales/fr/demo.po", "start/welcome.p1", "Bienvenue <b>ici</b>")
    assert run(["i18n", "check", "--project", str(project), "-q"]) == 1


def test_compile_writes_mo_files_without_fuzzy_or_failing_entries(project: Path) -> None:
    from babel.messages.mofile import read_mo

    set_translation(project / "locales/fr/demo.po", "start/welcome.p1", "Bienvenue <b>ici</b>")
    assert run(["i18n", "compile", "--project", str(project), "-q"]) == 1
    with (project / "locales/fr/demo.mo").open("rb") as handle:
        catalog = read_mo(handle)
    ids = {(m.context, m.id) for m in catalog if m.id}
    assert ("start/reflect.title", "Looking back") in ids
    assert not any(context == "start/welcome.p1" for context, _ in ids)


def test_update_reports(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["i18n", "update", "--project", str(project), "--locale", "fr"]) == 0
    assert "locales/fr/demo.po" in capsys.readouterr().err


def test_pybabel_extract_with_a_mapping_file(project: Path) -> None:
    mapping = project / "babel.cfg"
    mapping.write_text("[icbt: programmes/**.md]\n[icbt: programmes/*/programme.yaml]\n")
    out = project / "pybabel.pot"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(mapping),
            "-o",
            str(out),
            "--omit-header",
            ".",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    theirs, problems = load_po(out, "pybabel.pot")
    ours, _ = load_po(project / "locales/templates/demo.pot", "demo.pot")
    assert theirs is not None and ours is not None and problems == []
    assert {e.key for e in theirs.entries} == {e.key for e in ours.entries}
    box = next(e for e in theirs.entries if e.context == "start/welcome.box.sam-starts.title")
    assert '"a bus driver" can be any everyday job.' in box.notes
    assert box.locations == ["programmes/demo/modules/start/01-welcome.md:17"]
