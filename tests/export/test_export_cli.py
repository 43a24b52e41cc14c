"""``icbt export``: formats, output folders and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_helpers import (
    ANSWERS,
    MISMATCHED,
    PROJECT,
    copy_project,
    read_json,
    valid_bundle,
    valid_questionnaire,
)

from icbt_content.cli import run
from icbt_content.export import BUNDLE_SCHEMA_FILE


def export(*args: str | Path) -> int:
    return run(["export", "--project", str(PROJECT), *(str(a) for a in args)])


def test_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export("--format", "json", "--out", tmp_path) == 0
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == [
        BUNDLE_SCHEMA_FILE,
        "mini.en-GB.json",
    ]
    err = capsys.readouterr().err
    assert "wrote 2 file(s)" in err
    assert "'spin' needs permission for its wording and none was supplied" in err


def test_fhir(tmp_path: Path) -> None:
    assert export("--format", "fhir", "--out", tmp_path, "--base-url", "https://x.test/f") == 0
    folder = tmp_path / "fhir" / "mini" / "en-GB"
    assert len(list(folder.glob("Questionnaire-*.json"))) == 6  # 5 measures, 1 exercise
    phq9 = read_json(folder / "Questionnaire-phq9.json")
    valid_questionnaire(phq9)
    assert phq9["url"] == "https://x.test/f/Questionnaire/phq9"


def test_fhir_responses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = export(
        "--format", "fhir-responses", "--answers", ANSWERS, "--subject", "Patient/7",
        "--out", tmp_path,
    )  # fmt: skip
    assert code == 0
    assert "converted 5 questionnaire result(s) from answers.json" in capsys.readouterr().err
    bundle = read_json(tmp_path / "fhir-responses" / "answers.fhir.json")
    valid_bundle(bundle)
    assert {e["resource"]["subject"]["reference"] for e in bundle["entry"]} == {"Patient/7"}


def test_default_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert export("--format", "json", "-q") == 0
    assert (tmp_path / "exports" / "json" / "mini.en-GB.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "fhir-responses"], "needs --answers FILE"),
        (["--format", "json", "--answers", str(ANSWERS)], "only for --format fhir-responses"),
        (["--format", "fhir-responses", "--answers", str(ANSWERS), "--locale", "en-GB"],
         "--locale is not used"),
        (["--format", "json", "--programme", "nope"], "no programme called 'nope'"),
        (["--format", "json", "--locale", "fr"], "no programme is published in fr"),
        (["--format", "fhir-responses", "--answers", "missing.json"], "cannot read"),
    ],
)  # fmt: skip
def test_usage_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(*args, "--out", tmp_path) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "json").exists()


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = export("--format", "csv")
    except SystemExit as exc:  # argparse exits; run() may or may not turn that into a code
        code = exc.code  # type: ignore[assignment]
    assert code == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err


def test_answers_that_do_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = export("--format", "fhir-responses", "--answers", MISMATCHED, "--out", tmp_path)
    assert code == 1
    err = capsys.readouterr().err
    assert "the answers do not fit the programme's measures" in err
    assert "programme 'mini' has no measure 'retired-measure'" in err
    assert not (tmp_path / "fhir-responses").exists()


def test_content_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    (project / "programmes" / "mini" / "modules" / "start" / "module.md").unlink()
    code = run(
        ["export", "--project", str(project), "--format", "fhir", "--out", str(tmp_path / "out")]
    )
    assert code == 1
    assert "[ICBT106]" in capsys.readouterr().err
    assert not (tmp_path / "fhir").exists()
