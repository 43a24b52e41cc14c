"""The hazard log: validated like every input, risks on the DCB0129 matrix, and controls that are
real checks (a control naming a code or a test that does not exist fails ``icbt check``)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from icbt_content.cli import run
from icbt_content.safety.hazards import check_hazard_log, load_hazard_log
from icbt_content.safety.matrix import LIKELIHOODS, SEVERITIES, clinical_risk

REPO = Path(__file__).parent.parent.parent

#: NHS Digital's DCB0129/DCB0160 risk matrix: rows very high to very low likelihood, columns
#: minor, significant, considerable, major, catastrophic.
PUBLISHED_MATRIX = {
    "very-high": [3, 4, 4, 5, 5],
    "high": [2, 3, 3, 4, 5],
    "medium": [2, 2, 3, 3, 4],
    "low": [1, 2, 2, 3, 4],
    "very-low": [1, 1, 2, 2, 3],
}


def test_risk_comes_from_the_dcb0129_matrix() -> None:
    assert SEVERITIES == ("minor", "significant", "considerable", "major", "catastrophic")
    assert set(LIKELIHOODS) == set(PUBLISHED_MATRIX)
    for likelihood, risks in PUBLISHED_MATRIX.items():
        assert [clinical_risk(s, likelihood) for s in SEVERITIES] == risks  # type: ignore[arg-type]


def test_the_project_hazard_log_is_clean_and_covers_issue_10() -> None:
    assert check_hazard_log(REPO) == []
    loaded, _ = load_hazard_log(REPO)
    assert loaded is not None
    hazards = loaded.log.hazards
    # The eight defects of issue 10, each its own hazard.
    sources = {h.source for h in hazards}
    assert {f"issue 10, defect {n}" for n in range(1, 9)} <= sources
    # And the hazards a clinical safety officer lists for any such programme.
    titles = " / ".join(h.title.lower() for h in hazards)
    for words in [
        "risk answer is missed",
        "crisis number is wrong",
        "score, band or threshold is wrong",
        "out-of-date",
        "mistranslated",
        "answers are lost",
        "shared device",
        "promises contact",
    ]:
        assert words in titles, words
    for hazard in hazards:
        assert hazard.residual.clinical_risk <= hazard.initial.clinical_risk, hazard.id
        assert hazard.controls, hazard.id


def _project(tmp_path: Path, log: str, test_file: str = "") -> Path:
    """The basic fixture project (which checks clean) with this hazard log."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests/fixtures/projects/basic", project)
    (project / "safety").mkdir()
    (project / "safety/hazard-log.yaml").write_text(textwrap.dedent(log), encoding="utf-8")
    if test_file:
        (project / "tests").mkdir()
        (project / "tests/test_demo.py").write_text(textwrap.dedent(test_file), encoding="utf-8")
    return project


def _log(controls: str, initial: str = "{severity: major, likelihood: medium, risk: 3}") -> str:
    """A log of one hazard with these controls (a YAML list, unindented)."""
    lines = [
        "system: Demo",
        "hazards:",
        "  - id: H01",
        "    title: A risk answer is missed",
        "    cause: A mistyped risk rule.",
        "    effect: No crisis help is shown.",
        "    harm: Self-harm.",
        f"    initial: {initial}",
        "    controls:",
        *("      " + line for line in textwrap.dedent(controls).splitlines()),
        "    residual: {severity: major, likelihood: very-low, risk: 2}",
    ]
    return "\n".join(lines) + "\n"


TESTS = """\
    def test_risk_rule_shows_help():
        pass

    class TestScoring:
        def test_bands(self):
            pass
    """


def test_check_fails_when_a_control_names_a_code_or_test_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(
        tmp_path,
        _log(
            """\
            - description: Risk rules must show crisis help.
              enforced_by:
                - ICBT406
                - ICBT4066
                - ICBT999
                - tests/test_demo.py::test_risk_rule_shows_help
                - tests/test_demo.py::TestScoring::test_bands
                - tests/test_demo.py::test_risk_rule_show_help[phq9]
                - tests/test_missing.py::test_anything
                - someone checks it
            """
        ),
        TESTS,
    )
    assert run(["check", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    log = "safety/hazard-log.yaml"
    assert f"{log}:12:13:" not in err  # ICBT406 is real
    assert (
        f"{log}:13:13: error: 'ICBT4066' is neither a diagnostic code nor a test [ICBT823]\n"
        "    hint: did you mean 'ICBT406'?"
    ) in err
    assert f"{log}:14:13: error: the diagnostic code ICBT999 does not exist [ICBT821]" in err
    assert f"{log}:15:13:" not in err and f"{log}:16:13:" not in err  # real tests
    assert (
        f"{log}:17:13: error: tests/test_demo.py::test_risk_rule_show_help[phq9]: "
        "tests/test_demo.py has no test 'test_risk_rule_show_help' (did you mean "
        "'test_risk_rule_shows_help'?) [ICBT822]"
    ) in err
    assert (
        f"{log}:18:13: error: tests/test_missing.py::test_anything: there is no file "
        "tests/test_missing.py [ICBT822]"
    ) in err
    assert f"{log}:19:13: error: 'someone checks it' is neither" in err
    assert err.count("error:") == 5, err


def test_a_written_risk_must_match_the_matrix(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        _log(
            "- {description: Shown at once., enforced_by: [ICBT406]}\n",
            initial="{severity: major, likelihood: medium, risk: 4}",
        ),
    )
    [problem] = check_hazard_log(project)
    assert (problem.code, problem.line, problem.col) == ("ICBT820", 8, 52)
    assert "a major harm of medium likelihood is risk 3" in problem.message
    assert problem.hint == "write 'risk: 3', or correct the severity or the likelihood"


def test_an_invalid_log_is_reported_at_its_lines(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        """\
        system: Demo
        hazards:
          - id: H01
            title: A risk answer is missed
            cause: A mistyped risk rule.
            effct: No crisis help is shown.
            initial: {severity: huge, likelihood: medium}
            residual: {severity: major, likelihood: low}
        """,
    )
    found = {(d.code, d.line, d.message.split(":")[0]) for d in check_hazard_log(project)}
    assert ("ICBT102", 6, "unknown field 'hazards.0.effct' in the hazard log") in found
    assert any(code == "ICBT103" and "effect" in message for code, _, message in found)
    assert any(code == "ICBT103" and "harm" in message for code, _, message in found)
    assert any(code == "ICBT104" and line == 7 for code, line, _ in found)


def test_unacceptable_residual_risk_fails_a_strict_check(tmp_path: Path) -> None:
    log = """\
        system: Demo
        hazards:
          - id: H01
            title: A crisis number is wrong
            cause: A typing mistake.
            effect: The call does not connect.
            harm: Delayed help.
            initial: {severity: major, likelihood: high}
            controls:
              - {description: The service checks the numbers., owner: deployer}
            residual: {severity: major, likelihood: high}
          - id: H02
            title: A page is hard to read
            cause: Long sentences.
            effect: A client gives up.
            harm: Less benefit.
            initial: {severity: significant, likelihood: low}
            controls:
              - description: Readability is checked.
                enforced_by: [ICBT305]
            residual: {severity: considerable, likelihood: high}
          - id: h-3
            title: Same id twice
            cause: x
            effect: x
            harm: x
            initial: {severity: minor, likelihood: low}
            controls:
              - description: Nothing checks this.
            residual: {severity: minor, likelihood: low}
          - id: H01
            title: Same id twice
            cause: x
            effect: x
            harm: x
            initial: {severity: minor, likelihood: low}
            controls: [{description: x, enforced_by: [ICBT305]}]
            residual: {severity: minor, likelihood: low}
        """
    project = _project(tmp_path, log)
    found = [(d.code, d.line, d.severity.value) for d in check_hazard_log(project)]
    assert found == [
        ("ICBT824", 11, "warning"),  # residual 4: not acceptable
        ("ICBT825", 21, "warning"),  # residual 3 above the initial 2
        ("ICBT824", 21, "warning"),  # residual 3 without a rationale
        ("ICBT202", 22, "error"),  # not a hazard id
        ("ICBT823", 29, "error"),  # a manufacturer's control enforced by nothing
        ("ICBT201", 31, "error"),  # H01 again
    ]
    assert run(["check", "--project", str(project), "-q"]) == 1
