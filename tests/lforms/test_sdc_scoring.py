"""An outside SDC form filler works out our scores: LHC-Forms (npm ``lforms``, pinned in
``package-lock.json`` here) renders the exported PHQ-9, GAD-7 and PCL-5 Questionnaires in
chromium, is answered, and its totals, subscales, bands and risk flags (from the
Questionnaires' ``calculatedExpression``s) must equal :func:`icbt_content.measures.score`.

Answers go in through LHC-Forms' own API in the page, many sets per page, so thousands of sets
run in one page per measure; one set per measure is also clicked in a rendered form. LHC-Forms
takes about 40 ms to rework a form, so the default sample keeps the test near a minute: the
edge cases (every total, every answer of every item alone, each item missing) plus
``ICBT_LFORMS_SETS`` seeded random sets per measure (default 100). ``ICBT_LFORMS_ALL_GAD7=1``
adds all 16,384 complete GAD-7 answer sets (about ten minutes).
"""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from icbt_content.export import questionnaire
from icbt_content.export.fhir import BAND_LINK_ID, RISK_LINK_ID, SUBSCALE_PREFIX, TOTAL_LINK_ID
from icbt_content.measures import score
from icbt_content.measures.loading import LIBRARY, load_measure
from icbt_content.model.measure import Measure

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent.parent
MINI = REPO / "tests" / "fixtures" / "export" / "project" / "programmes" / "mini"
SETS = int(os.environ.get("ICBT_LFORMS_SETS", "100"))
ALL_GAD7 = os.environ.get("ICBT_LFORMS_ALL_GAD7") == "1"

AnswerSet = dict[str, int | None]
#: Script errors in any harness page; every test checks there were none.
PAGE_ERRORS: list[str] = []


def library_measure(measure_id: str) -> Measure:
    measure, problems = load_measure(LIBRARY / f"{measure_id}.yaml", REPO)
    assert measure is not None, problems
    return measure


def fixture_measure(measure_id: str) -> Measure:
    measure, problems = load_measure(MINI / "measures" / f"{measure_id}.yaml", REPO)
    assert measure is not None, problems
    return measure


def score_ids(measure: Measure) -> list[str]:
    ids = [TOTAL_LINK_ID] + [f"{SUBSCALE_PREFIX}{s.id}" for s in measure.subscales]
    if measure.bands:
        ids.append(BAND_LINK_ID)
    if any(item.risk for item in measure.items):
        ids.append(RISK_LINK_ID)
    return ids


def expected(measure: Measure, answers: AnswerSet) -> list[Any]:
    """What our Python scoring says, in the order of ``score_ids``."""
    scored = score(measure, answers)
    row: list[Any] = [scored.total, *(scored.subscales[s.id] for s in measure.subscales)]
    if measure.bands:
        row.append(scored.band.id if scored.band else None)
    if any(item.risk for item in measure.items):
        row.append(bool(scored.risk))
    return row


def edge_cases(measure: Measure) -> list[AnswerSet]:
    """All lowest and all highest scores, all missing, each item missing, each item alone at
    each answer, and a walk from the lowest total to the highest one step at a time."""
    values = {i.id: _by_score(measure, i.id) for i in measure.items}
    lowest = {i: v[0] for i, v in values.items()}
    cases: list[AnswerSet] = [dict(lowest), {i: v[-1] for i, v in values.items()}]
    cases.append(dict.fromkeys(values))
    for item_id, item_values in values.items():
        cases.append({**lowest, item_id: None})
        cases += [{**lowest, item_id: value} for value in item_values[1:]]
    steps = dict(lowest)
    for item_id, item_values in values.items():
        for value in item_values[1:]:
            steps = {**steps, item_id: value}
            cases.append(dict(steps))
    return cases


def _by_score(measure: Measure, item_id: str) -> list[int]:
    """The item's answer values from the lowest-scoring to the highest-scoring."""
    item = measure.item(item_id)
    values = sorted(o.value for o in measure.option_set(item).options)
    return values[::-1] if item.reverse else values


def random_sets(measure: Measure, count: int, seed: int) -> list[AnswerSet]:
    """Seeded random answer sets; about one in twelve answers is left out."""
    rng = random.Random(seed)
    values = {i.id: [o.value for o in measure.option_set(i).options] for i in measure.items}
    return [
        {i: None if rng.random() < 1 / 12 else rng.choice(v) for i, v in values.items()}
        for _ in range(count)
    ]


def as_indexes(measure: Measure, answers: AnswerSet) -> dict[str, int | None]:
    """Answer sets for the page: the index of the chosen answer option."""
    indexes: dict[str, int | None] = {}
    for item in measure.items:
        value = answers.get(item.id)
        options = [o.value for o in measure.option_set(item).options]
        indexes[item.id] = None if value is None else options.index(value)
    return indexes


def open_form(browser: Browser, url: str, resource: dict[str, Any]) -> Page:
    return render(load(browser, url), resource)


def load(browser: Browser, url: str) -> Page:
    """Start loading the harness page (pages load side by side)."""
    page = browser.new_page()
    page.on("pageerror", lambda error: PAGE_ERRORS.append(str(error)))
    page.goto(url, wait_until="commit")
    return page


def render(page: Page, resource: dict[str, Any]) -> Page:
    page.wait_for_function(
        "!!(window.LForms && LForms.Util && LForms.FHIR && typeof icbtRender === 'function')"
    )
    page.evaluate("q => icbtRender(q)", resource)
    page.wait_for_selector("wc-lhc-form input[type=radio]")
    return page


MEASURES = {
    "phq9": (library_measure, 9),
    "gad7": (library_measure, 7),
    "pcl5": (library_measure, 5),
    "mood-check": (fixture_measure, 4),  # prorated, reverse-scored, with a subscale
}


@pytest.fixture(scope="module")
def forms(browser: Browser, harness_url: str) -> dict[str, tuple[Measure, Page]]:
    pages = {measure_id: load(browser, harness_url) for measure_id in MEASURES}
    opened = {}
    for measure_id, (read, _) in MEASURES.items():
        measure = read(measure_id)
        opened[measure_id] = (measure, render(pages[measure_id], questionnaire(measure)))
    return opened


def test_lhc_forms_works_out_our_scores_on_many_answer_sets(
    forms: dict[str, tuple[Measure, Page]],
) -> None:
    batches: dict[str, list[AnswerSet]] = {}
    for measure_id, (measure, page) in forms.items():
        seed = MEASURES[measure_id][1]
        batches[measure_id] = edge_cases(measure) + random_sets(measure, SETS, seed)
        if measure_id == "gad7" and ALL_GAD7:
            ids = [item.id for item in measure.items]
            everything = itertools.product(range(4), repeat=len(ids))
            batches[measure_id] += [dict(zip(ids, values, strict=True)) for values in everything]
        sets = [as_indexes(measure, answers) for answers in batches[measure_id]]
        # start every page at once: chromium runs each page in its own process
        page.evaluate("([sets, ids]) => icbtStart(sets, ids)", [sets, score_ids(measure)])
    for measure_id, (measure, page) in forms.items():
        page.wait_for_function("window.icbtDone", timeout=600_000, polling=200)
        done = page.evaluate("window.icbtDone")
        assert "error" not in done, done.get("error")
        got = done["results"]
        print(f"{measure_id}: {len(got)} answer sets in {done['ms'] / 1000:.1f} s")
        want = [expected(measure, answers) for answers in batches[measure_id]]
        assert len(got) == len(want)
        mismatches = [
            (answers, ours, theirs)
            for answers, ours, theirs in zip(batches[measure_id], want, got, strict=True)
            if ours != theirs
        ]
        assert mismatches == [], (
            f"{measure_id}: LHC-Forms disagrees on {len(mismatches)} of {len(want)} sets; "
            f"first (answers, ours, LHC-Forms): {mismatches[:3]}"
        )
        assert PAGE_ERRORS == []
        # the samples reach every total the measure can give
        totals = {row[0] for row in want if row[0] is not None}
        low, high = measure.total_range()
        assert {low, high} <= totals


@pytest.mark.parametrize("measure_id", ["phq9", "gad7"])
def test_clicking_the_rendered_form_shows_our_total(
    browser: Browser, harness_url: str, measure_id: str
) -> None:
    measure = library_measure(measure_id)
    page = open_form(browser, harness_url, questionnaire(measure))
    rng = random.Random(99)
    answers: AnswerSet = {i.id: rng.choice([0, 1, 2, 3]) for i in measure.items}
    labels = {o.value: o.label for o in measure.option_sets[0].options}
    for item_id, value in answers.items():
        group = page.locator(f"input[type=radio][name='radiogroup_{item_id}/1']")
        group.nth(value).click()
    scored = score(measure, answers)
    total = page.locator("input[id='score.total/1']")
    page.wait_for_function(
        "want => document.getElementById('score.total/1').value === want", arg=str(scored.total)
    )
    assert total.input_value() == str(scored.total)
    assert scored.band is not None
    band = page.locator("input[id='score.band/1']").input_value()
    assert band == scored.band.label
    assert labels[answers[measure.items[0].id]] in page.locator("wc-lhc-form").inner_text()
    assert PAGE_ERRORS == []
    page.close()


def test_every_total_is_reached() -> None:
    """The edge cases alone cover every total of each measure (no luck needed)."""
    for measure_id, (load, _) in MEASURES.items():
        measure = load(measure_id)
        totals = {score(measure, a).total for a in edge_cases(measure)}
        low, high = measure.total_range()
        assert set(range(low, high + 1)) <= totals, measure_id
