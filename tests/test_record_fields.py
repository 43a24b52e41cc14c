"""A programme's own fields on a built-in record type: where they appear besides the form.

The diagnostics (ICBT963-966) are fixtures in tests/fixtures/diagnostics/record-*.txt; saving
and restoring in a browser is tests/browser/test_record_fields_browser.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icbt_content import load_programme
from icbt_content.exercises import exercise_types
from icbt_content.exercises.custom import AddedField, OwnFields, customise
from icbt_content.export.bundle import programme_bundle
from icbt_content.i18n.workflow import extract
from icbt_content.idslock import current_ids
from icbt_content.render.records import answers_file_schema

PAGE = "programmes/demo/modules/practice/01-try-it.md"

PANIC_DIARY = """::: exercise thought-record
id: thought-log
title: A thought to check
relabel:
  thought:
    label: What I feared would happen
    hint: The worst you thought might happen.
add_fields:
  - id: sensations
    label: The sensations I noticed
    after: situation
  - id: how-it-ended
    label: How it ended
    kind: choice
    choices:
      - id: passed
        label: It passed on its own
      - id: left
        label: I left the situation
  - id: panic-strength
    label: How strong the panic was
    kind: rating
:::"""


@pytest.fixture
def panic_project(basic_project: Path) -> Path:
    page = basic_project / PAGE
    text = page.read_text(encoding="utf-8")
    old = "::: exercise thought-record\nid: thought-log\ntitle: A thought to check\n:::"
    assert old in text
    page.write_text(text.replace(old, PANIC_DIARY), encoding="utf-8")
    return basic_project


def _exercise_fields(project: Path) -> list[tuple[str, str, str]]:
    programme = load_programme(project / "programmes/demo", project=project)
    exercise = next(e for e in programme.exercises() if e.id == "thought-log")
    return [(f.id, f.kind, f.label) for f in exercise.fields]


def test_added_fields_take_their_place_and_relabelled_fields_their_words(
    panic_project: Path,
) -> None:
    assert _exercise_fields(panic_project) == [
        ("situation", "longtext", "The situation"),
        ("sensations", "longtext", "The sensations I noticed"),
        ("thought", "longtext", "What I feared would happen"),
        ("belief-before", "percent", "How much I believe it (0-100%)"),
        ("other-view", "longtext", "Another way of seeing it"),
        ("belief-after", "percent", "How much I believe the first thought now (0-100%)"),
        ("how-it-ended", "choice", "How it ended"),
        ("panic-strength", "rating", "How strong the panic was"),
    ]


def test_added_fields_are_locked_schemed_and_exported(panic_project: Path) -> None:
    programme = load_programme(panic_project / "programmes/demo", project=panic_project)
    assert {"sensations", "how-it-ended", "panic-strength"} <= set(
        current_ids(programme)["thought-log"]
    )

    schema = answers_file_schema(programme)
    record = schema["properties"]["items"]["properties"]["icbt/v1/demo/exercise/thought-log"]
    fields = record["properties"]["fields"]["properties"]
    assert fields["how-it-ended"] == {"type": "string", "enum": ["passed", "left"]}
    assert fields["sensations"]["type"] == "string"

    bundle = programme_bundle(programme)
    exported = next(
        block["exercise"]
        for module in bundle["programme"]["modules"]
        for page in module["pages"]
        for block in page["blocks"]
        if block["kind"] == "exercise" and block["exercise"]["id"] == "thought-log"
    )
    assert [f["id"] for f in exported["fields"]][:3] == ["situation", "sensations", "thought"]
    assert exported["options"]["add_fields"][0] == {
        "id": "sensations",
        "label": "The sensations I noticed",
        "after": "situation",
    }


def test_exercises_without_own_fields_export_their_options_as_before(basic_project: Path) -> None:
    programme = load_programme(basic_project / "programmes/demo", project=basic_project)
    for exercise in programme.exercises():
        assert "relabel" not in exercise.options and "add_fields" not in exercise.options


def test_the_authors_words_are_extracted_for_translators(panic_project: Path) -> None:
    extract(panic_project)
    template = (panic_project / "locales/templates/demo.pot").read_text(encoding="utf-8")
    for words in (
        "What I feared would happen",
        "The worst you thought might happen.",
        "The sensations I noticed",
        "It passed on its own",
        "How strong the panic was",
    ):
        assert f'msgid "{words}"' in template, words
    # The built-in words stay interface strings, translated once for every programme.
    assert 'msgid "The situation"' not in template


def test_the_form_shows_the_added_fields(panic_project: Path) -> None:
    from icbt_content import build_site

    report = build_site(panic_project, panic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    html = (panic_project / "site/demo/en-GB/practice/try-it/index.html").read_text("utf-8")
    form = html[html.index('data-exercise="thought-log"') :]
    assert (
        form.index('name="situation"')
        < form.index('name="sensations"')
        < form.index('name="thought"')
    )
    assert "What I feared would happen" in form and "How it ended" in form
    records = json.loads(html.split("data-icbt-page>", 1)[1].split("</script>", 1)[0])["records"]
    assert "panic-strength" in json.dumps(records["icbt/v1/demo/exercise/thought-log"])


def test_added_fields_are_items_of_the_exercises_fhir_questionnaire(panic_project: Path) -> None:
    from icbt_content.export.exercises import exercise_questionnaire

    programme = load_programme(panic_project / "programmes/demo", project=panic_project)
    exercise = next(e for e in programme.exercises() if e.id == "thought-log")
    items = {i["linkId"]: i for i in exercise_questionnaire(programme, exercise)["item"]}
    assert items["sensations"]["type"] == "text"
    assert items["thought"]["text"] == "What I feared would happen"
    assert [o["valueCoding"]["code"] for o in items["how-it-ended"]["answerOption"]] == [
        "passed",
        "left",
    ]


def test_my_answers_shows_answers_to_added_fields_with_their_words(panic_project: Path) -> None:
    from icbt_content.render.answers_contents import answers_contents

    programme = load_programme(panic_project / "programmes/demo", project=panic_project)
    items = {i["id"]: i for g in answers_contents(programme)["groups"] for i in g["items"]}
    fields = {f["id"]: f for f in items["thought-log"]["fields"]}
    assert fields["sensations"]["label"] == "The sensations I noticed"
    assert fields["thought"]["label"] == "What I feared would happen"
    assert fields["how-it-ended"]["choices"] == {
        "passed": "It passed on its own",
        "left": "I left the situation",
    }


@pytest.mark.parametrize(
    ("kind", "built_in_type", "ends"),
    [
        ("rating", "rating", ("Not at all", "Extremely")),
        ("percent", "behavioural-experiment", ("Not at all", "Completely")),
    ],
)
def test_an_added_0_100_field_is_worded_at_its_ends_as_the_built_in_ones(
    kind: str, built_in_type: str, ends: tuple[str, str]
) -> None:
    exercise = exercise_types()[built_in_type]
    built_in = next(
        f for f in exercise.fields(exercise.options(id="x", title="X")) if f.kind == kind
    )
    added = AddedField(id="strength", label="How strong it was", kind=kind)
    fields, problems = customise((), OwnFields(add_fields=(added,)))
    assert not problems
    assert [(f.min, f.max, f.min_label, f.max_label) for f in (*fields, built_in)] == [
        (0, 100, *ends)
    ] * 2
