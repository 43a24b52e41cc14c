"""Scoring: totals, bands, caseness, reliable change, risk flags, missing answers, recovery."""

from __future__ import annotations

import pytest
from measure_helpers import FIXTURES, REPO, builtin

from icbt_content.measures import (
    ChangeCategory,
    Recovery,
    RecoveryNotComputable,
    ScorePair,
    compare,
    load_measure,
    recovery,
    score,
)
from icbt_content.measures.scoring import change_between, item_value
from icbt_content.model.measure import Measure
from icbt_content.model.programme import OutcomeMeasures


def answers_for(measure: Measure, total: int, risk_item: str | None = None) -> dict[str, int]:
    """Answers adding up to ``total``, filling items in order; the risk item is left at 0."""
    result: dict[str, int] = {}
    left = total
    for item in measure.items:
        top = measure.option_set(item).max if item.id != risk_item else 0
        result[item.id] = min(top, left)
        left -= result[item.id]
    assert left == 0
    return result


# PHQ-9 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(phq9: Measure, total: int, band: str) -> None:
    result = score(phq9, answers_for(phq9, total, risk_item="q9" if total <= 24 else None))
    assert result.total == total
    assert result.band is not None and result.band.id == band
    assert result.band.meaning


@pytest.mark.parametrize(("total", "case"), [(9, False), (10, True), (27, True)])
def test_phq9_caseness_is_10_or_more(phq9: Measure, total: int, case: bool) -> None:
    assert score(phq9, answers_for(phq9, total)).caseness is case


def test_phq9_range_and_metadata(phq9: Measure) -> None:
    assert phq9.total_range() == (0, 27)
    assert phq9.caseness == 10 and phq9.reliable_change == 6
    assert phq9.licence == "public-domain" and "No permission required" in phq9.copyright
    assert phq9.role == "depression"


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (16, 10, ChangeCategory.RELIABLE_IMPROVEMENT),
        (16, 11, ChangeCategory.NO_RELIABLE_CHANGE),
        (16, 21, ChangeCategory.NO_RELIABLE_CHANGE),
        (16, 22, ChangeCategory.RELIABLE_DETERIORATION),
        (16, 16, ChangeCategory.NO_RELIABLE_CHANGE),
    ],
)
def test_phq9_reliable_change_is_6(phq9: Measure, before: int, after: int, change: str) -> None:
    assert compare(phq9, before, after) == change


def test_compare_takes_scores(phq9: Measure) -> None:
    before = score(phq9, answers_for(phq9, 20))
    after = score(phq9, answers_for(phq9, 3))
    assert compare(phq9, before, after) is ChangeCategory.RELIABLE_IMPROVEMENT


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_phq9_item_9_above_0_shows_crisis_help_and_flags(phq9: Measure, answer: int) -> None:
    answers = {item.id: 0 for item in phq9.items} | {"q9": answer}
    result = score(phq9, answers)
    assert [flag.item for flag in result.risk] == ["q9"]
    assert result.crisis_help and result.flag_therapist


def test_phq9_item_9_at_0_is_no_risk(phq9: Measure) -> None:
    answers = {item.id: 3 for item in phq9.items} | {"q9": 0}
    result = score(phq9, answers)
    assert result.risk == () and not result.crisis_help and not result.flag_therapist


def test_risk_counts_even_when_the_total_cannot(phq9: Measure) -> None:
    result = score(phq9, {"q1": 2, "q9": 1})
    assert result.total is None and result.crisis_help


def test_phq9_needs_every_answer(phq9: Measure) -> None:
    answers: dict[str, int | None] = {item.id: 1 for item in phq9.items}
    answers["q4"] = None
    result = score(phq9, answers)
    assert result.total is None and result.band is None and result.caseness is None
    assert result.missing == ("q4",) and not result.complete and not result.prorated


@pytest.mark.parametrize("bad", [4, -1, True, "2"])
def test_impossible_answers_are_refused(phq9: Measure, bad: object) -> None:
    with pytest.raises(ValueError):
        score(phq9, {"q1": bad})  # type: ignore[dict-item]


def test_unknown_items_are_refused(phq9: Measure) -> None:
    with pytest.raises(ValueError, match="q10"):
        score(phq9, {"q10": 1})


# GAD-7 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(gad7: Measure, total: int, band: str) -> None:
    result = score(gad7, answers_for(gad7, total))
    assert result.total == total and result.band is not None and result.band.id == band


@pytest.mark.parametrize(("total", "case"), [(7, False), (8, True)])
def test_gad7_caseness_is_8_or_more(gad7: Measure, total: int, case: bool) -> None:
    assert score(gad7, answers_for(gad7, total)).caseness is case


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (12, 8, "reliable-improvement"),
        (12, 9, "no-reliable-change"),
        (12, 15, "no-reliable-change"),
        (12, 16, "reliable-deterioration"),
    ],
)
def test_gad7_reliable_change_is_4(gad7: Measure, before: int, after: int, change: str) -> None:
    assert compare(gad7, before, after) == change


def test_gad7_wording(gad7: Measure) -> None:
    assert gad7.total_range() == (0, 21)
    assert gad7.option_sets[0].options[0].label == "Not at all"
    assert gad7.items[0].text == "Feeling nervous, anxious or on edge"


# PCL-5 -----------------------------------------------------------------------------------


def test_pcl5_total_and_clusters(pcl5: Measure) -> None:
    answers = {f"q{n}": n % 5 for n in range(1, 21)}
    result = score(pcl5, answers)
    assert result.total == sum(n % 5 for n in range(1, 21))
    assert result.subscales == {
        "intrusions": sum(n % 5 for n in range(1, 6)),
        "avoidance": sum(n % 5 for n in range(6, 8)),
        "thoughts-and-mood": sum(n % 5 for n in range(8, 15)),
        "arousal": sum(n % 5 for n in range(15, 21)),
    }


def test_pcl5_range_cut_off_and_reliable_change(pcl5: Measure) -> None:
    assert pcl5.total_range() == (0, 80)
    assert pcl5.caseness == 33 and "33" in pcl5.notes and "31-33" in pcl5.notes
    assert score(pcl5, answers_for(pcl5, 32)).caseness is False
    assert score(pcl5, answers_for(pcl5, 33)).caseness is True
    assert compare(pcl5, 50, 40) is ChangeCategory.RELIABLE_IMPROVEMENT
    assert compare(pcl5, 50, 41) is ChangeCategory.NO_RELIABLE_CHANGE
    assert compare(pcl5, 50, 60) is ChangeCategory.RELIABLE_DETERIORATION
    assert pcl5.licence == "public-domain" and "public domain" in pcl5.copyright


# Missing answers, reverse scoring, process measures --------------------------------------


@pytest.fixture(scope="module")
def prorated() -> Measure:
    measure, found = load_measure(FIXTURES / "valid" / "prorated.yaml", REPO)
    assert measure is not None and not found
    return measure


def test_reverse_scored_item(prorated: Measure) -> None:
    result = score(prorated, {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0})
    assert result.items["c"] == 4 and result.total == 4


def test_item_value_mirrors_a_reverse_scored_answer(prorated: Measure) -> None:
    reverse, straight = prorated.item("c"), prorated.item("a")
    option_set = prorated.option_set(reverse)
    assert [item_value(option_set, reverse, v) for v in (0, 1, 4)] == [4, 3, 0]
    assert [item_value(option_set, straight, v) for v in (0, 1, 4)] == [0, 1, 4]


def test_change_between_needs_totals_and_a_reliable_change_value(
    phq9: Measure, prorated: Measure
) -> None:
    full = {f"q{n}": 0 for n in range(1, 10)}
    low, high = score(phq9, full), score(phq9, full | {"q1": 3, "q2": 3})
    assert change_between(phq9, low, high) is ChangeCategory.RELIABLE_DETERIORATION
    assert change_between(phq9, low, score(phq9, {"q1": 0})) is None
    without = prorated.model_copy(update={"reliable_change": None})
    some = score(without, {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0})
    assert change_between(without, some, some) is None


def test_one_missing_answer_is_prorated(prorated: Measure) -> None:
    # a=3, b=2, c=1 (scores 3), d=1 answered: 9 from 4 items -> 9 * 5 / 4 = 11.25 -> 11
    result = score(prorated, {"a": 3, "b": 2, "c": 1, "d": 1, "e": None})
    assert result.total == 11 and result.prorated and not result.complete
    assert result.band is not None and result.band.id == "high" and result.caseness is True
    assert result.subscales == {"first": 8, "last": 1 * 2}


def test_prorating_rounds_halves_up(prorated: Measure) -> None:
    # 2 from 4 items -> 2.5 -> 3
    result = score(prorated, {"a": 1, "b": 1, "c": 4, "d": 0})
    assert result.total == 3


def test_too_many_missing_answers_give_no_total(prorated: Measure) -> None:
    result = score(prorated, {"a": 3, "b": 2, "c": 1})
    assert result.total is None and result.subscales == {"first": None, "last": None}


def test_risk_threshold_uses_the_answer(prorated: Measure) -> None:
    assert not score(prorated, {"e": 2}).risk
    assert score(prorated, {"e": 3}).crisis_help


def test_process_measure_scores_items_without_total() -> None:
    measure, found = load_measure(
        REPO / "programmes" / "sad" / "measures" / "sad-weekly.yaml", REPO
    )
    assert measure is not None and not found
    answers = {
        "avoidance": 40,
        "self-focus": 70,
        "anticipatory-worry": 0,
        "post-event-rumination": 100,
    }
    result = score(measure, answers)
    assert result.total is None and result.band is None and result.complete
    assert result.items == answers
    with pytest.raises(ValueError):
        score(measure, {"avoidance": 101})
    with pytest.raises(ValueError):
        compare(measure, 1, 2)


# Recovery (NHS Talking Therapies) --------------------------------------------------------

GAD = OutcomeMeasures(depression="phq9", anxiety="gad7")
SAD = OutcomeMeasures(depression="phq9", anxiety="spin")
PTSD = OutcomeMeasures(depression="phq9", anxiety="pcl5")


@pytest.fixture(scope="module")
def spin() -> Measure:
    # SPIN ships without wording; its scoring is complete and can be used for recovery.
    return builtin("spin")


def _recovered(pairs: list[ScorePair], measures: OutcomeMeasures) -> Recovery:
    outcome = recovery(pairs, measures)
    assert isinstance(outcome, Recovery), outcome
    return outcome


def test_recovered_and_reliably_improved(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 15, 8), ScorePair(gad7, 12, 6)], GAD)
    assert outcome.case_at_start and outcome.recovered is True
    assert outcome.change is ChangeCategory.RELIABLE_IMPROVEMENT and outcome.reliable_recovery


def test_case_on_one_measure_is_enough_at_the_start(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 6, 4), ScorePair(gad7, 8, 3)], GAD)
    assert outcome.case_at_start and outcome.recovered is True


def test_not_recovered_while_above_either_threshold(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 14, 9), ScorePair(gad7, 12, 8)], GAD)
    assert outcome.case_at_start and outcome.recovered is False


def test_no_recovery_when_not_a_case_at_the_start(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 9, 2), ScorePair(gad7, 7, 1)], GAD)
    assert not outcome.case_at_start and outcome.recovered is None
    assert outcome.change is ChangeCategory.RELIABLE_IMPROVEMENT and not outcome.reliable_recovery


def test_improvement_on_one_and_deterioration_on_the_other(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 20, 10), ScorePair(gad7, 5, 12)], GAD)
    assert outcome.change is ChangeCategory.NO_RELIABLE_CHANGE


def test_deterioration_on_one_measure(phq9: Measure, gad7: Measure) -> None:
    outcome = _recovered([ScorePair(phq9, 10, 16), ScorePair(gad7, 10, 11)], GAD)
    assert outcome.change is ChangeCategory.RELIABLE_DETERIORATION and outcome.recovered is False


def test_disorder_specific_measure_replaces_gad7(
    phq9: Measure, gad7: Measure, pcl5: Measure
) -> None:
    pairs = [ScorePair(phq9, 12, 6), ScorePair(gad7, 15, 15), ScorePair(pcl5, 50, 20)]
    outcome = _recovered(pairs, PTSD)
    assert outcome.anxiety == "pcl5" and outcome.depression == "phq9"
    assert outcome.recovered is True and outcome.change is ChangeCategory.RELIABLE_IMPROVEMENT


def test_spin_replaces_gad7_for_social_anxiety(phq9: Measure, gad7: Measure, spin: Measure) -> None:
    pairs = [ScorePair(gad7, 3, 3), ScorePair(phq9, 8, 8), ScorePair(spin, 40, 18)]
    outcome = _recovered(pairs, SAD)
    assert outcome.anxiety == "spin" and outcome.case_at_start and outcome.recovered is True


def test_recovery_needs_both_measures(phq9: Measure) -> None:
    outcome = recovery([ScorePair(phq9, 12, 3)], GAD)
    assert isinstance(outcome, RecoveryNotComputable) and "gad7" in outcome.reason


def test_recovery_needs_totals(phq9: Measure, gad7: Measure) -> None:
    incomplete = score(phq9, {"q1": 3})
    outcome = recovery([ScorePair(phq9, incomplete, 3), ScorePair(gad7, 10, 3)], GAD)
    assert isinstance(outcome, RecoveryNotComputable)
    assert outcome.reason == "the first score of 'phq9' has no total (too many answers left out)"
