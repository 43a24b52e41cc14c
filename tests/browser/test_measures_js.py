"""scoring.js and questionnaire.js in a real browser: scoring exactly like Python, and the
questionnaire works.

Agreement is checked on every possible answer set of PHQ-9 (4^9) and GAD-7 (4^7), on 20,000
seeded random PCL-5 answer sets, on PCL-5 variants with missing answers and reverse-scored
items, and on compare() for every pair of totals. The answer sets are generated inside the
browser (or sent once as one array) and the results come back as compact arrays.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from jinja2 import Environment, PackageLoader, StrictUndefined
from playwright.sync_api import Page, expect

from icbt_content.adaptation.resources import describe_locale
from icbt_content.ids import storage_key, storage_keys
from icbt_content.measures import builtin_measures, compare, load_measure, measure_json, score
from icbt_content.measures.scoring import MeasureScore
from icbt_content.model.measure import Measure, MeasureItem, MissingAnswers
from icbt_content.render.environment import fill
from icbt_content.render.language import LANGUAGE_FILTERS
from icbt_content.render.records import measure_record, record_kinds

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent.parent
STATIC = REPO / "src" / "icbt_content" / "render" / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)


def builtin(measure_id: str) -> Measure:
    measure, found = load_measure(builtin_measures()[measure_id], REPO)
    assert measure is not None and not found
    return measure


def definition(measure: Measure) -> Any:
    return measure.model_dump(mode="json")


# One number per result, built the same way on both sides:
# total (or -1), band index (or -1), caseness (null/false/true), risk, prorated.
PACK_JS = """
function pack(def, r) {
  const band = r.band === null ? -1 : def.bands.findIndex(b => b.id === r.band.id);
  const caseness = r.caseness === null ? 0 : (r.caseness ? 2 : 1);
  const total = r.total === null ? -1 : r.total;
  return ((((total + 1) * 32 + band + 1) * 3 + caseness) * 2 + (r.risk.length ? 1 : 0)) * 2
    + (r.prorated ? 1 : 0);
}
"""


def pack(measure: Measure, result: MeasureScore) -> int:
    band = -1 if result.band is None else [b.id for b in measure.bands].index(result.band.id)
    caseness = 0 if result.caseness is None else (2 if result.caseness else 1)
    total = -1 if result.total is None else result.total
    risk = 1 if result.risk else 0
    packed = (((total + 1) * 32 + band + 1) * 3 + caseness) * 2 + risk
    return packed * 2 + (1 if result.prorated else 0)


@pytest.fixture
def scoring_page(page: Page, serve: Callable[[Path], str]) -> Page:
    """A page with the site's scoring module as ``window.scoring`` (the site itself sets no
    global: the test does, to call it)."""
    page.goto(serve(STATIC) + "scoring.js")
    page.evaluate("async () => { window.scoring = await import('./scoring.js'); }")
    assert page.evaluate("typeof window.scoring.score") == "function"
    return page


def every_answer_set_in_js(page: Page, measure: Measure) -> list[int]:
    """Score every possible answer set in the browser; item 0's answer changes fastest."""
    script = (
        "([def]) => {"
        + PACK_JS
        + """
          const ids = def.items.map(i => i.id);
          const choices = def.items.map(i => def.option_sets.find(s => s.id === i.options)
            .options.map(o => o.value));
          const count = choices.reduce((n, c) => n * c.length, 1);
          const out = new Array(count);
          const answers = {};
          for (let index = 0; index < count; index++) {
            let rest = index;
            for (let k = 0; k < ids.length; k++) {
              answers[ids[k]] = choices[k][rest % choices[k].length];
              rest = Math.floor(rest / choices[k].length);
            }
            out[index] = pack(def, window.scoring.score(def, answers));
          }
          return out;
        }"""
    )
    return page.evaluate(script, [definition(measure)])


def every_answer_set_in_python(measure: Measure) -> list[int]:
    ids = [item.id for item in measure.items]
    choices = [[o.value for o in measure.option_set(item).options] for item in measure.items]
    out = []
    # itertools.product changes the last position fastest; reverse so item 0 changes fastest.
    for combo in itertools.product(*reversed(choices)):
        out.append(pack(measure, score(measure, dict(zip(ids, reversed(combo), strict=True)))))
    return out


def all_pairs_agree(page: Page, measure: Measure) -> None:
    low, high = measure.total_range()
    pairs = [[a, b] for a in range(low, high + 1) for b in range(low, high + 1)]
    in_js = page.evaluate(
        "([def, pairs]) => pairs.map(([a, b]) => window.scoring.compare(def, a, b))",
        [definition(measure), pairs],
    )
    assert in_js == [str(compare(measure, a, b)) for a, b in pairs]


@pytest.mark.parametrize(("measure_id", "count"), [("phq9", 4**9), ("gad7", 4**7)])
def test_js_agrees_on_every_answer_set(scoring_page: Page, measure_id: str, count: int) -> None:
    measure = builtin(measure_id)
    in_js = every_answer_set_in_js(scoring_page, measure)
    assert len(in_js) == count
    in_python = every_answer_set_in_python(measure)
    mismatches = [i for i, (a, b) in enumerate(zip(in_js, in_python, strict=True)) if a != b]
    assert not mismatches, f"{len(mismatches)} answer sets differ, first index {mismatches[0]}"
    all_pairs_agree(scoring_page, measure)


def score_sets_in_js(
    page: Page, measure: Measure, sets: Sequence[Sequence[int | None]]
) -> list[list[int]]:
    script = (
        "([def, sets]) => {"
        + PACK_JS
        + """
          const ids = def.items.map(i => i.id);
          const subs = (def.subscales || []).map(s => s.id);
          return sets.map(values => {
            const answers = {};
            ids.forEach((id, k) => { answers[id] = values[k]; });
            const r = window.scoring.score(def, answers);
            const parts = subs.map(s => (r.subscales[s] === null ? -1 : r.subscales[s]));
            return [pack(def, r)].concat(parts);
          });
        }"""
    )
    return page.evaluate(script, [definition(measure), [list(s) for s in sets]])


def score_sets_in_python(measure: Measure, sets: Sequence[Sequence[int | None]]) -> list[list[int]]:
    ids = [item.id for item in measure.items]
    out = []
    for values in sets:
        result = score(measure, dict(zip(ids, values, strict=True)))
        subs = [result.subscales[s.id] for s in measure.subscales]
        out.append([pack(measure, result), *(-1 if v is None else v for v in subs)])
    return out


def test_js_agrees_on_random_pcl5_answer_sets(scoring_page: Page) -> None:
    pcl5 = builtin("pcl5")
    rng = random.Random(20240501)
    sets = [[rng.randint(0, 4) for _ in range(20)] for _ in range(20_000)]
    # Include the extremes and the cut-off on purpose.
    sets += [[0] * 20, [4] * 20, [2] * 16 + [1] * 1 + [0] * 3, [2] * 16 + [0] * 4]
    in_js = score_sets_in_js(scoring_page, pcl5, sets)
    assert in_js == score_sets_in_python(pcl5, sets)
    all_pairs_agree(scoring_page, pcl5)


def test_js_agrees_with_missing_answers_and_reverse_scoring(scoring_page: Page) -> None:
    pcl5 = builtin("pcl5")
    items = tuple(
        MeasureItem.model_validate({**item.model_dump(), "reverse": n in {2, 7, 15}})
        for n, item in enumerate(pcl5.items)
    )
    variant = pcl5.model_copy(
        update={"missing": MissingAnswers(policy="prorate", max_missing=3), "items": items}
    )
    rng = random.Random(7)
    sets: list[list[int | None]] = []
    for _ in range(5_000):
        values: list[int | None] = [rng.randint(0, 4) for _ in range(20)]
        for k in rng.sample(range(20), rng.randint(0, 5)):
            values[k] = None
        sets.append(values)
    for measure in (variant, pcl5):
        assert score_sets_in_js(scoring_page, measure, sets) == score_sets_in_python(measure, sets)


# The questionnaire on a page ---------------------------------------------------------------


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("icbt_content.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    env.globals["_"] = lambda text: text
    # What the site's environment and page context give every template, in English.
    env.globals["fill"] = fill
    env.globals["plural_forms"] = lambda one, other: {"one": one, "other": other}
    env.globals["locale"] = describe_locale("en-GB")
    env.filters.update(LANGUAGE_FILTERS)
    return env


def render(measure: Measure) -> str:
    return (
        _environment()
        .get_template("questionnaire.html")
        .render(measure=measure, measure_json=measure_json(measure))
    )


def script_data(measures: Sequence[Measure]) -> str:
    """The page data and messages the site's templates write, for a programme called 'test'."""
    page_data = {
        "programme": {"id": "test", "title": "Test"},
        "crisis": "crisis.html",
        "storage": storage_keys("test"),
        "kinds": record_kinds(),
        "records": {storage_key("test", m.id, "measure"): measure_record(m) for m in measures},
    }
    return _environment().get_template("script_data.html").render(page_data=page_data)


def copy_static(folder: Path) -> None:
    """The site's scripts, as the build puts them in assets/."""
    for path in STATIC.glob("*.js"):
        (folder / path.name).write_bytes(path.read_bytes())


@pytest.fixture
def questionnaire_url(tmp_path: Path, serve: Callable[[Path], str]) -> str:
    sad_weekly, found = load_measure(REPO / "programmes/sad/measures/sad-weekly.yaml", REPO)
    assert sad_weekly is not None and not found
    measures = [builtin("phq9"), sad_weekly]
    body = "".join(render(m) for m in measures) + script_data(measures)
    copy_static(tmp_path)
    (tmp_path / "crisis.html").write_text("<!doctype html><title>Help</title>", "utf-8")
    (tmp_path / "favicon.ico").write_bytes(b"")
    (tmp_path / "index.html").write_text(
        f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Questionnaires</title>
<script type="module" src="icbt.js"></script>
</head>
<body>
<main><h1>Check in</h1>
{body}
</main>
</body>
</html>""",
        "utf-8",
    )
    return serve(tmp_path) + "index.html"


@pytest.fixture
def watched(page: Page) -> tuple[Page, list[str], list[str]]:
    """The page, with lists of console errors and of requests to any other host."""
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith("http://127.0.0.1:") else elsewhere.append(r.url),
    )
    return page, errors, elsewhere


def stored(page: Page, measure_id: str) -> Any:
    raw = page.evaluate(f"localStorage.getItem('icbt/v1/test/measure/{measure_id}')")
    return json.loads(raw) if raw else None


def test_phq9_scores_shows_meaning_risk_help_and_stores(
    watched: tuple[Page, list[str], list[str]], questionnaire_url: str
) -> None:
    page, errors, elsewhere = watched
    page.goto(questionnaire_url)
    form = page.locator("form[data-measure='phq9']")
    for n in range(1, 9):
        form.locator(f"#q-phq9-q{n}-3").check()  # "More than half the days" = 2
    alert = page.locator("#q-phq9-q9-risk")
    form.locator("#q-phq9-q9-1").check()  # "Not at all"
    expect(alert).to_be_hidden()
    page.get_by_role("radio", name="Several days").last.check()
    expect(alert).to_be_visible()  # at once, before the form is sent
    expect(alert.get_by_role("link", name="Get help now")).to_have_attribute("href", "crisis.html")
    assert stored(page, "phq9")["results"] == []  # only the draft, until it is scored

    form.get_by_role("button", name="See my score").click()
    status = page.locator("#q-phq9-result")
    expect(status).to_contain_text("Your score is 17 out of 27.")
    expect(status).to_contain_text("Moderately severe.")
    expect(status).to_contain_text("No one is told about it automatically")
    expect(status).not_to_contain_text("marked for your therapist")
    saved = stored(page, "phq9")
    assert len(saved["results"]) == 1
    result = saved["results"][0]
    assert (result["total"], result["band"], result["risk"]) == (17, "moderately-severe", True)
    assert result["answers"] == {**{f"q{n}": 2 for n in range(1, 9)}, "q9": 1}
    assert result["date"].endswith("Z")

    history = page.locator("#q-phq9-history")
    expect(history).to_be_visible()
    expect(history.locator("svg[role='img']")).to_have_count(1)
    expect(history.locator("tbody tr")).to_have_count(1)

    # Scoring again the same day replaces that day's result.
    form.locator("#q-phq9-q1-1").check()
    form.get_by_role("button", name="See my score").click()
    expect(status).to_contain_text("Your score is 15 out of 27.")
    assert [r["total"] for r in stored(page, "phq9")["results"]] == [15]
    expect(history.locator("tbody tr")).to_have_count(1)

    page.reload()
    expect(page.locator("#q-phq9-history tbody tr")).to_have_count(1)
    assert errors == [] and elsewhere == []


def test_unanswered_questions_are_named_and_nothing_is_stored(
    watched: tuple[Page, list[str], list[str]], questionnaire_url: str
) -> None:
    page, errors, _ = watched
    page.goto(questionnaire_url)
    form = page.locator("form[data-measure='phq9']")
    form.locator("#q-phq9-q1-2").check()
    form.get_by_role("button", name="See my score").click()
    expect(page.locator("#q-phq9-result")).to_have_text(
        "Please answer every question. Not answered yet: 2, 3, 4, 5, 6, 7, 8, 9."
    )
    expect(form.locator("[data-icbt-error-summary]")).to_be_focused()
    assert stored(page, "phq9")["results"] == [] and errors == []


def test_process_ratings_with_number_boxes(
    watched: tuple[Page, list[str], list[str]], questionnaire_url: str
) -> None:
    page, errors, _ = watched
    page.goto(questionnaire_url)
    form = page.locator("form[data-measure='sad-weekly']")
    boxes = form.locator("input[type=number]")
    for n, value in enumerate(["40", "150", "10", "0"]):
        boxes.nth(n).fill(value)
    form.get_by_role("button", name="See my score").click()
    expect(boxes.nth(1)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#q-sad-weekly-self-focus-error")).to_have_text(
        "Enter a whole number from 0 to 100."
    )
    expect(form.locator("[data-icbt-error-summary]")).to_be_focused()
    boxes.nth(1).fill("70")
    form.get_by_role("button", name="See my score").click()
    expect(page.locator("#q-sad-weekly-result li")).to_have_count(4)
    result = stored(page, "sad-weekly")["results"][0]
    assert result["total"] is None and result["risk"] is False
    assert result["answers"] == {
        "avoidance": 40,
        "self-focus": 70,
        "anticipatory-worry": 10,
        "post-event-rumination": 0,
    }
    # Rated one by one: a chart per rating, each with its own axis and one line.
    charts = page.locator("#q-sad-weekly-history .measure-chart-one")
    expect(charts).to_have_count(4)
    expect(charts.first.locator(".measure-chart-label")).to_have_text(re.compile(r"^1\. "))
    expect(charts.first.locator("svg circle")).to_have_count(1)
    assert errors == []


def test_questionnaire_page_passes_axe(page: Page, questionnaire_url: str) -> None:
    page.goto(questionnaire_url)
    form = page.locator("form[data-measure='phq9']")
    for n in range(1, 10):
        form.locator(f"#q-phq9-q{n}-2").check()
    form.get_by_role("button", name="See my score").click()
    expect(page.locator("#q-phq9-history")).to_be_visible()
    page.locator("#q-phq9-history summary").click()
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
    assert results.violations_count == 0, results.generate_report()
