"""Recovery on the measures the programme declares, never a silent fall-back to GAD-7."""

from __future__ import annotations

from pathlib import Path

import pytest
from measure_helpers import REPO, builtin

from icbt_content import load_programme
from icbt_content.diagnostics import Diagnostics
from icbt_content.measures import (
    Recovery,
    RecoveryNotComputable,
    ScorePair,
    outcome_measures,
    recovery,
)
from icbt_content.model.programme import OutcomeMeasures
from icbt_content.pipeline.check import check_project


@pytest.fixture(scope="module")
def pairs() -> dict[str, ScorePair]:
    """A course of treatment in which GAD-7 and PHQ-9 improved (a recovery on GAD-7)."""
    return {
        "phq9": ScorePair(builtin("phq9"), 14, 4),
        "gad7": ScorePair(builtin("gad7"), 15, 3),
        "spin": ScorePair(builtin("spin"), 45, 40),
        "pcl5": ScorePair(builtin("pcl5"), 50, 45),
    }


@pytest.mark.parametrize(("programme_id", "anxiety"), [("sad", "spin"), ("ptsd", "pcl5")])
def test_sample_programmes_use_their_disorder_specific_measure(
    programme_id: str, anxiety: str
) -> None:
    programme = load_programme(REPO / "programmes" / programme_id)
    assert outcome_measures(programme) == OutcomeMeasures(depression="phq9", anxiety=anxiety)


@pytest.mark.parametrize(("programme_id", "missing"), [("sad", "spin"), ("ptsd", "pcl5")])
def test_missing_disorder_specific_scores_make_recovery_not_computable(
    pairs: dict[str, ScorePair], programme_id: str, missing: str
) -> None:
    programme = load_programme(REPO / "programmes" / programme_id)
    # GAD-7 says "recovered"; the programme's own anxiety measure has no scores.
    outcome = recovery([pairs["phq9"], pairs["gad7"]], programme)
    assert isinstance(outcome, RecoveryNotComputable)
    assert outcome.reason == (
        f"there are no scores of '{missing}', the programme's anxiety measure"
    )
    assert (outcome.depression, outcome.anxiety) == ("phq9", missing)


def test_recovery_uses_the_declared_measure_even_with_gad7_present(
    pairs: dict[str, ScorePair],
) -> None:
    programme = load_programme(REPO / "programmes" / "sad")
    outcome = recovery(list(pairs.values()), programme)
    assert isinstance(outcome, Recovery)
    assert outcome.anxiety == "spin"
    # SPIN is still above its threshold (19) at the end: not recovered, although GAD-7 is.
    assert outcome.case_at_start and outcome.recovered is False


def test_a_programme_without_outcome_measures_is_not_computable(
    pairs: dict[str, ScorePair], basic_project: Path
) -> None:
    programme = load_programme(basic_project / "programmes" / "demo")
    outcome = recovery(list(pairs.values()), programme)
    assert isinstance(outcome, RecoveryNotComputable)
    assert "no depression and anxiety measures" in outcome.reason


def _check(project: Path, measures: str) -> list[str]:
    manifest = project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + measures, encoding="utf-8")
    found = Diagnostics()
    for loaded in check_project(project):
        found.extend(loaded.diagnostics)
    return [d.format() for d in found if d.code == "ICBT416"]


def test_declared_outcome_measures_are_checked(basic_project: Path) -> None:
    problems = _check(
        basic_project,
        "measures: [phq9, gad7, pcl5, wsas]\n"
        "outcome_measures:\n  depression: wsas\n  anxiety: gad7\n",
    )
    assert problems == [
        "programmes/demo/programme.yaml:13:3: error: 'wsas' has no caseness threshold or "
        "reliable-change value, so recovery cannot be worked out from it [ICBT416]\n"
        "    hint: give the measure 'caseness:' and 'reliable_change:', or name another",
        "programmes/demo/programme.yaml:13:3: error: 'wsas' has the role 'functioning', so it "
        "cannot be the depression measure [ICBT416]\n"
        "    hint: name a measure whose role is depression",
        "programmes/demo/programme.yaml:14:3: error: the programme lists the disorder-specific "
        "measure 'pcl5', which replaces 'gad7' in NHS Talking Therapies outcomes [ICBT416]\n"
        "    hint: use 'anxiety: pcl5'",
    ]


def test_a_declared_measure_must_be_listed(basic_project: Path) -> None:
    problems = _check(
        basic_project, "measures: [phq9]\noutcome_measures: {depression: phq9, anxiety: spin}\n"
    )
    assert [p.split(" [")[0] for p in problems] == [
        "programmes/demo/programme.yaml:12:38: error: the anxiety measure 'spin' is not listed "
        "under 'measures:'"
    ]


def test_two_disorder_specific_measures_need_a_declaration(basic_project: Path) -> None:
    problems = _check(basic_project, "measures: [phq9, spin, pcl5]\n")
    assert [p.split(" [")[0] for p in problems] == [
        "programmes/demo/programme.yaml:11:24: error: 2 listed measures have the role "
        "'disorder-specific' (spin, pcl5), so the programme's outcome measures cannot be told "
        "apart"
    ]
    assert _check(basic_project, "outcome_measures: {depression: phq9, anxiety: pcl5}\n") == []
