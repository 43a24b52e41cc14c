"""Lookups the caller needs raise NotFoundError; ``find_*`` lookups return None."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content import Measure, NotFoundError, Programme, load_programme

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sad() -> Programme:
    return load_programme(REPO / "programmes" / "sad")


def test_lookups_return_the_thing(sad: Programme) -> None:
    module = sad.modules[0]
    exercise = next(sad.exercises())
    assert sad.module(module.id) is module
    assert sad.measure("phq9").id == "phq9"
    assert sad.exercise(exercise.id) is exercise
    phq9 = sad.measure("phq9")
    assert phq9.item("q9").id == "q9"
    assert phq9.option_set(phq9.item("q9")) in phq9.option_sets


@pytest.mark.parametrize(
    ("kind", "wanted", "message"),
    [
        ("module", "no-such-module", "no module 'no-such-module' in this programme"),
        ("measure", "phq8", "no measure 'phq8' in this programme (did you mean 'phq9'?)"),
        ("exercise", "nothing", "no exercise 'nothing' in this programme"),
    ],
)
def test_missing_things_raise_not_found(
    sad: Programme, kind: str, wanted: str, message: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        getattr(sad, kind)(wanted)
    assert str(caught.value).startswith(message)
    assert getattr(sad, f"find_{kind}")(wanted) is None
    with pytest.raises(KeyError):  # the built-in name still catches it
        getattr(sad, kind)(wanted)


def test_measure_lookups(sad: Programme) -> None:
    phq9: Measure = sad.measure("phq9")
    with pytest.raises(NotFoundError, match="phq9 has no item 'q10'"):
        phq9.item("q10")
    assert phq9.find_item("q10") is None
    odd = phq9.items[0].model_copy(update={"options": "nowhere"})
    assert phq9.find_option_set(odd) is None
    with pytest.raises(NotFoundError, match="names no known option set"):
        phq9.option_set(odd)
