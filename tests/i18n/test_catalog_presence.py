"""'icbt i18n init' starts only the catalogs asked for; 'icbt i18n status' reports only
catalogs that exist."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from icbt_content.cli import run

REPO = Path(__file__).parent.parent.parent


def _samples(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("programmes", "locales"):
        shutil.copytree(REPO / name, project / name)
    return project


def test_init_starts_only_the_programmes_asked_for(tmp_path: Path) -> None:
    project = _samples(tmp_path)
    where = ["--project", str(project), "-q"]
    assert run(["i18n", "init", "cy", "--programme", "ptsd", *where]) == 0
    assert sorted(p.name for p in (project / "locales/cy").iterdir()) == [
        "interface.po",
        "locale.yaml",
        "ptsd.po",
    ]
    header = (project / "locales/cy/ptsd.po").read_text(encoding="utf-8")
    assert '"Language: cy\\n"' in header and '"PO-Revision-Date: 20' in header


def test_status_reports_only_catalogs_that_exist(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    project = _samples(tmp_path)
    assert not (project / "locales/ar/ptsd.po").exists()
    capsys.readouterr()
    assert run(["i18n", "status", "--json", "--project", str(project)]) == 0
    reported = {
        (c["locale"], c["catalog"]) for c in json.loads(capsys.readouterr().out)["catalogs"]
    }
    assert reported == {
        ("ar", "interface"),
        ("ar", "sad"),
        ("zh-Hant-HK", "interface"),
        ("zh-Hant-HK", "sad"),
        ("zh-Hant-HK", "ptsd"),
    }
