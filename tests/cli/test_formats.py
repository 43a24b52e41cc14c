"""``--format``: diagnostics as text, JSON, SARIF 2.1.0 (checked against the OASIS schema) and
GitHub annotations, for ``icbt check``, ``icbt build`` and ``icbt i18n check``."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from icbt_content.commandline import run
from icbt_content.commandline.formats import FORMATS
from icbt_content.diagnostics import Diagnostic, Severity

DATA = Path(__file__).parent / "data"
#: The OASIS SARIF 2.1.0 schema (errata 01), as published by the OASIS SARIF TC: see data/README.md.
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

UNKNOWN_FIELD = Diagnostic(
    file="programmes/sad/modules/start/01-welcome.md",
    line=2,
    col=1,
    code="ICBT102",
    message="unknown field 'titel' in page front matter",
    hint="did you mean 'title'?",
)
AWKWARD = Diagnostic(
    file="programmes/a,b/x:y.md",
    line=7,
    col=3,
    code="ICBT999",  # not a known code: still a valid SARIF rule
    message="100% sure\nsecond line",
    severity=Severity.WARNING,
)

#: (format, diagnostics, the exact output)
CASES = [
    ("text", [], ""),
    (
        "text",
        [UNKNOWN_FIELD],
        "programmes/sad/modules/start/01-welcome.md:2:1: error: unknown field 'titel' in page "
        "front matter [ICBT102]\n    hint: did you mean 'title'?\n1 error(s), 0 warning(s)\n",
    ),
    ("json", [], "[]\n"),
    ("github", [], ""),
    (
        "github",
        [UNKNOWN_FIELD],
        "::error file=programmes/sad/modules/start/01-welcome.md,line=2,col=1,title=ICBT102::"
        "unknown field 'titel' in page front matter%0Ahint: did you mean 'title'?\n",
    ),
    (
        "github",
        [AWKWARD],
        "::warning file=programmes/a%2Cb/x%3Ay.md,line=7,col=3,title=ICBT999::"
        "100%25 sure%0Asecond line\n",
    ),
]


@pytest.mark.parametrize(("fmt", "items", "expected"), CASES)
def test_format_output(fmt: str, items: list[Diagnostic], expected: str) -> None:
    assert FORMATS[fmt].render(items) == expected


def test_json_has_every_field() -> None:
    assert json.loads(FORMATS["json"].render([UNKNOWN_FIELD, AWKWARD])) == [
        {
            "file": "programmes/sad/modules/start/01-welcome.md",
            "line": 2,
            "col": 1,
            "code": "ICBT102",
            "severity": "error",
            "message": "unknown field 'titel' in page front matter",
            "hint": "did you mean 'title'?",
        },
        {
            "file": "programmes/a,b/x:y.md",
            "line": 7,
            "col": 3,
            "code": "ICBT999",
            "severity": "warning",
            "message": "100% sure\nsecond line",
            "hint": "",
        },
    ]


@pytest.mark.parametrize("items", [[], [UNKNOWN_FIELD], [UNKNOWN_FIELD, AWKWARD, UNKNOWN_FIELD]])
def test_sarif_is_valid_against_the_oasis_schema(items: list[Diagnostic]) -> None:
    log = json.loads(FORMATS["sarif"].render(items))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "icbt"
    assert len(run_["results"]) == len(items)
    rules = run_["tool"]["driver"]["rules"]
    for result, item in zip(run_["results"], items, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == item.code
        assert result["level"] == str(item.severity)
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (item.line, item.col)


def test_the_schema_rejects_a_broken_log() -> None:
    # The stored schema is the real one, not a permissive stand-in.
    log = json.loads(FORMATS["sarif"].render([UNKNOWN_FIELD]))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)


def test_known_codes_describe_their_rule() -> None:
    log = json.loads(FORMATS["sarif"].render([UNKNOWN_FIELD]))
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "ICBT102"
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["shortDescription"]["text"]


def _break_a_page(project: Path) -> None:
    page = project / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("title: Welcome", "titel: Welcome"))


@pytest.mark.parametrize("command", [["check"], ["build", "-q"]])
@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_commands_print_machine_formats_on_stdout(
    command: list[str],
    fmt: str,
    basic_project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(basic_project)
    _break_a_page(basic_project)
    assert run([*command, "--format", fmt]) == 1
    out, err = capsys.readouterr()
    assert "ICBT102" not in err  # the diagnostics themselves are only on stdout
    where = "programmes/demo/modules/start/01-welcome.md"
    if fmt == "json":
        found = [d for d in json.loads(out) if d["code"] == "ICBT102"]
        assert [(d["file"], d["line"], d["col"]) for d in found] == [(where, 2, 1)]
    elif fmt == "sarif":
        log = json.loads(out)
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
        results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "ICBT102"]
        location = results[0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == where
        assert location["region"] == {"startLine": 2, "startColumn": 1}
    else:
        assert f"::error file={where},line=2,col=1,title=ICBT102::" in out


def test_a_clean_check_prints_an_empty_list(
    basic_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", "--project", str(basic_project), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_i18n_check_takes_a_format(basic_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["i18n", "check", "--project", str(basic_project), "--format", "sarif"]) == 0
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(capsys.readouterr().out))


def test_an_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
