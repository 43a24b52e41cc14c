"""The questionnaire partial and the measure JSON embedded in it."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from jinja2 import Environment, PackageLoader, StrictUndefined
from measure_helpers import REPO, builtin

from icbt_content.adaptation.resources import describe_locale
from icbt_content.measures import load_measure, measure_json
from icbt_content.model.measure import Measure
from icbt_content.render.environment import fill


class Collect(HTMLParser):
    """Every start tag with its attributes, and the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag not in {"input", "br", "meta"}:
            self._open.append(values.get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.text[ident] = self.text.get(ident, "") + data


def render(measure: Measure) -> str:
    env = Environment(
        loader=PackageLoader("icbt_content.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    env.globals["_"] = lambda text: text
    env.globals["fill"] = fill
    env.globals["locale"] = describe_locale("en-GB")
    template = env.get_template("questionnaire.html")
    return template.render(measure=measure, measure_json=measure_json(measure))


def parse(html: str) -> Collect:
    parser = Collect()
    parser.feed(html)
    return parser


def test_phq9_form_is_accessible(phq9: Measure) -> None:
    page = parse(render(phq9))
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert all(i.startswith(("q-phq9", "measure-phq9")) for i in ids)
    fieldsets = [a for t, a in page.tags if t == "fieldset"]
    assert len(fieldsets) == 9
    assert [page.text[f["id"]].strip().split("\n")[0] for f in fieldsets] == [
        item.text for item in phq9.items
    ]
    radios = [a for t, a in page.tags if t == "input" and a.get("type") == "radio"]
    labels = {a["for"] for t, a in page.tags if t == "label"}
    assert len(radios) == 36 and all(r["id"] in labels for r in radios)
    assert {r["name"] for r in radios} == {item.id for item in phq9.items}
    [form] = [a for t, a in page.tags if t == "form"]
    assert form["class"] == "questionnaire" and form["data-measure"] == "phq9"
    [status] = [a for t, a in page.tags if a.get("role") == "status"]
    assert status["aria-live"] == "polite"
    [alert] = [a for t, a in page.tags if a.get("role") == "alert"]
    assert alert["data-risk-alert"] == "q9" and "hidden" in alert
    assert "See my score" in page.text["q-phq9-form"]
    assert phq9.timeframe in page.text["q-phq9-form"]


def test_embedded_json_is_the_model(phq9: Measure) -> None:
    html = render(phq9)
    page = parse(html)
    # Found by an attribute only templates write, never by an id an author's heading could take.
    assert [a for t, a in page.tags if t == "script"] == [
        {"type": "application/json", "data-icbt-measure": "phq9"}
    ]
    text = html.split('<script type="application/json" data-icbt-measure="phq9">')[1]
    data = json.loads(text.split("</script>")[0])
    assert data == phq9.model_dump(mode="json", exclude={"source"})


def test_json_cannot_close_the_script(phq9: Measure) -> None:
    hostile = phq9.model_copy(update={"title": "</script><script>alert('&')</script>"})
    text = measure_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["title"] == hostile.title
    html = render(hostile)
    assert html.count("</script>") == 1
    assert "&lt;/script&gt;" in html  # the visible title is escaped by Jinja


def test_measure_needing_wording_renders_no_form() -> None:
    html = render(builtin("wsas"))
    assert "<form" not in html and "not available" in html and "application/json" not in html


def test_process_measure_uses_number_boxes() -> None:
    measure, _ = load_measure(REPO / "programmes/sad/measures/sad-weekly.yaml", REPO)
    assert measure is not None
    page = parse(render(measure))
    numbers = [a for t, a in page.tags if t == "input" and a.get("type") == "number"]
    assert len(numbers) == 4
    assert all((n["min"], n["max"], n["step"]) == ("0", "100", "1") for n in numbers)
    labels = {a["for"] for t, a in page.tags if t == "label"}
    assert all(n["id"] in labels for n in numbers)
    assert all(n["aria-describedby"].split()[0] in page.text for n in numbers)


@pytest.mark.parametrize("measure_id", ["gad7", "pcl5"])
def test_public_measures_render(measure_id: str) -> None:
    measure = builtin(measure_id)
    page = parse(render(measure))
    radios = [a for t, a in page.tags if t == "input" and a.get("type") == "radio"]
    assert len(radios) == sum(len(measure.option_set(i).options) for i in measure.items)
