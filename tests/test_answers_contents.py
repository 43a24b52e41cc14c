"""The outline "My answers" writes a client's record from (render/answers_contents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content import load_programme
from icbt_content.model.programme import Programme
from icbt_content.render.answers_contents import answers_contents

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def sad() -> Programme:
    return load_programme(REPO / "programmes/sad")


def test_modules_in_programme_order_each_item_once(sad: Programme) -> None:
    groups = answers_contents(sad, "Weekly check-in")["groups"]
    ids = [group["id"] for group in groups]
    assert ids[:-1] == [m.id for m in sad.modules if any(p.blocks for p in m.pages)][: len(ids) - 1]
    # The weekly measures are on a page of the first module, so they are listed there; the
    # programme's other measures, on no page, come last, in a group without a title.
    first = [item["id"] for item in groups[0]["items"]]
    assert first.index("phq9") < first.index("my-goals")
    assert {"phq9", "gad7", "sad-weekly"} <= set(first)
    assert groups[-1]["title"] == "" and [i["id"] for i in groups[-1]["items"]] == [
        "spin",
        "lsas-sr",
        "wsas",
    ]
    listed = [(i["kind"], i["id"]) for g in groups for i in g["items"]]
    assert len(listed) == len(set(listed))
    assert {i for k, i in listed if k == "exercise"} == {e.id for e in sad.exercises()}


def test_items_carry_their_keys_words_and_kinds(sad: Programme) -> None:
    items = {i["id"]: i for g in answers_contents(sad)["groups"] for i in g["items"]}
    goals = items["my-goals"]
    assert goals["key"] == "icbt/v1/sad/exercise/my-goals"
    assert goals["fields"][0] == {"id": "goal-1", "label": "Goal 1", "kind": "longtext"}
    assert items["drop-sb-experiment"]["repeatable"] is True
    phq9 = items["phq9"]
    assert phq9["key"] == "icbt/v1/sad/measure/phq9"
    assert phq9["measure"]["bands"][0]["label"] == "Minimal"
    assert "source" not in phq9["measure"] and "wording" not in phq9


def test_measure_words_in_another_language_are_marked(sad: Programme) -> None:
    items = {i["id"]: i for g in answers_contents(sad, "", "ar")["groups"] for i in g["items"]}
    assert items["phq9"]["wording"] == {"lang": "en", "dir": "ltr"}
    assert "wording" not in items["my-goals"]
    same = {i["id"]: i for g in answers_contents(sad, "", "en-GB")["groups"] for i in g["items"]}
    assert "wording" not in same["phq9"]


def test_a_weekly_measure_on_no_page_is_listed_under_the_check_in(sad: Programme) -> None:
    bare = sad.model_copy(update={"modules": ()})
    groups = answers_contents(bare, "Weekly check-in")["groups"]
    assert [(g["id"], g["title"]) for g in groups] == [("check-in", "Weekly check-in"), ("", "")]
    assert [i["id"] for i in groups[0]["items"]] == ["phq9", "gad7", "sad-weekly"]
