"""The built-in library: public-domain wording word for word, copyrighted measures without it."""

from __future__ import annotations

import pytest
from measure_helpers import builtin

from icbt_content.measures import builtin_measures
from icbt_content.model.measure import Measure

PUBLIC = ["phq9", "gad7", "pcl5"]
PERMISSION = {
    "spin": (17, 0, 4, 68),
    "lsas-sr": (48, 0, 3, 144),
    "ies-r": (22, 0, 4, 88),
    "wsas": (5, 0, 8, 40),
}

PHQ9 = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family"
    " down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being"
    " so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]


def test_registry_lists_the_library() -> None:
    assert set(builtin_measures()) >= set(PUBLIC) | set(PERMISSION)


def test_phq9_word_for_word(phq9: Measure) -> None:
    assert [item.text for item in phq9.items] == PHQ9
    assert [o.label for o in phq9.option_sets[0].options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert [o.value for o in phq9.option_sets[0].options] == [0, 1, 2, 3]
    assert phq9.timeframe.startswith("Over the last 2 weeks")
    assert "Pfizer" in phq9.copyright and phq9.citation and phq9.url
    [risky] = [item for item in phq9.items if item.risk]
    assert risky.id == "q9" and risky.risk is not None and risky.risk.above == 0


def test_pcl5_word_for_word(pcl5: Measure) -> None:
    texts = [item.text for item in pcl5.items]
    assert len(texts) == 20
    assert texts[0] == "Repeated, disturbing, and unwanted memories of the stressful experience?"
    assert texts[16] == 'Being "superalert" or watchful or on guard?'
    assert texts[19] == "Trouble falling or staying asleep?"
    assert [o.label for o in pcl5.option_sets[0].options] == [
        "Not at all",
        "A little bit",
        "Moderately",
        "Quite a bit",
        "Extremely",
    ]
    assert [s.items for s in pcl5.subscales] == [
        tuple(f"q{n}" for n in range(a, b + 1)) for a, b in [(1, 5), (6, 7), (8, 14), (15, 20)]
    ]
    assert "National Center for PTSD" in pcl5.citation


@pytest.mark.parametrize("measure_id", PUBLIC)
def test_public_domain_measures_are_publishable(measure_id: str) -> None:
    measure = builtin(measure_id)
    assert measure.licence == "public-domain" and measure.has_wording
    assert not measure.needs_wording


@pytest.mark.parametrize("measure_id", sorted(PERMISSION))
def test_copyrighted_measures_ship_without_wording(measure_id: str) -> None:
    measure = builtin(measure_id)
    items, low, high, top = PERMISSION[measure_id]
    assert measure.licence == "permission-required" and measure.needs_wording
    assert len(measure.items) == items and measure.total_range() == (0, top)
    assert not measure.instructions and not measure.timeframe
    for item in measure.items:
        assert item.text == ""
        option_set = measure.option_set(item)
        assert (option_set.min, option_set.max) == (low, high)
        assert all(option.label == "" for option in option_set.options)


def test_copyrighted_thresholds() -> None:
    assert builtin("spin").caseness == 19
    assert builtin("ies-r").caseness == 33
    assert [(b.min, b.max) for b in builtin("wsas").bands] == [(0, 9), (10, 20), (21, 40)]
    assert [s.id for s in builtin("lsas-sr").subscales] == ["fear", "avoidance"]
