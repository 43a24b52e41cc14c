"""schema.js agrees with a Python JSON Schema library on the records the site keeps.

The schemas are the build's own (the sample SAD programme's records, PHQ-9, PCL-5, a choice
field, the file envelope); the values are valid records altered at random, with a fixed seed:
wrong types, missing and extra properties (``__proto__`` among them), values just outside a
pattern (a number with a trailing newline), long texts. For each pair, the verdict of ``fits``
must equal ``jsonschema``'s, and what ``prune`` keeps must be valid by ``jsonschema`` too.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from playwright.sync_api import Page

from icbt_content import load_programme
from icbt_content.measures import builtin_measures, load_measure
from icbt_content.model.exercise import Choice, ExerciseField
from icbt_content.render.records import (
    KEYWORDS,
    exercise_record,
    file_envelope,
    measure_record,
    programme_records,
    record_kinds,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent.parent
STATIC = REPO / "src" / "icbt_content" / "render" / "static"
CASES_PER_SCHEMA = 150

#: Strings tried where a pattern is expected; the valid ones are found with ``re``.
TEXTS = ["", "12", "-3.5", "1e3", ".5", "7.", "2024-05-01", "2024-05-01T10:00:00Z"]
TEXTS += ["2024-05-01T10:00:00.123+01:00", "start/welcome"]
#: Values an altered record may get anywhere.
ODD_VALUES: list[Any] = [None, True, False, 0, 1, -1, 1.5, 1.0, 2**53 + 1, 101]
ODD_VALUES += ["", "x", "12\n", "1e3", "[object Object]", "2024-05-01T10:00:00Z\n", "2024-13-01"]
ODD_VALUES += ["é" * 41, [], [1], ["a", None], {}, {"a": "b"}, {"__proto__": {"polluted": True}}]
ODD_VALUES += [{"fields": {}}, {"results": []}]
ODD_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "x", "", "fields", "date"]


def schemas() -> list[dict[str, Any]]:
    sad = load_programme(REPO / "programmes" / "sad")
    found = list(programme_records(sad).values())
    for measure_id in ("phq9", "pcl5"):
        measure, problems = load_measure(builtin_measures()[measure_id], REPO)
        assert measure is not None and not problems
        found.append(measure_record(measure))
    choice = ExerciseField(
        id="how", kind="choice", label="How?", choices=(Choice(id="a", label="A"),)
    )
    found.append(exercise_record([choice], kept=["old-field"]))
    found.extend(record_kinds().values())
    found.append(file_envelope())
    return found


def keywords(schema: Any) -> set[str]:
    """Every keyword used in a schema (values of properties and enum are not keywords)."""
    if not isinstance(schema, dict):
        return set()
    used = set(schema)
    for name, value in schema.items():
        if name == "properties":
            for child in value.values():
                used |= keywords(child)
        elif name in ("items", "additionalProperties"):
            used |= keywords(value)
    return used


def example(schema: Any, rng: random.Random) -> Any:
    """A value that fits the schema."""
    if schema is True or schema == {}:
        return rng.choice(["x", 1, True])
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "const" in schema:
        return schema["const"]
    types = schema.get("type", "object")
    kind = rng.choice(types) if isinstance(types, list) else types
    if kind == "object":
        value = {}
        for name, child in schema.get("properties", {}).items():
            if name in schema.get("required", []) or rng.random() < 0.7:
                value[name] = example(child, rng)
        extra = schema.get("additionalProperties", True)
        if extra is not False and rng.random() < 0.3:
            value[f"extra-{rng.randint(1, 9)}"] = example(extra, rng)
        return value
    if kind == "array":
        return [example(schema.get("items", True), rng) for _ in range(rng.randint(0, 3))]
    if kind == "string":
        if "pattern" in schema:
            return rng.choice([t for t in TEXTS if re.search(schema["pattern"], t)])
        return rng.choice(["", "a walk", "Monday", "نعم", "我"])
    if kind == "integer":
        low, high = schema.get("minimum", -5), schema.get("maximum", 50)
        step = schema.get("multipleOf", 1)
        return rng.choice([v for v in range(low, high + 1) if v % step == 0])
    if kind == "boolean":
        return rng.random() < 0.5
    return None


def alter(value: Any, rng: random.Random) -> Any:
    """The value with one part changed, removed or added somewhere inside it."""
    if rng.random() < 0.12 or not isinstance(value, dict | list) or not value:
        if isinstance(value, dict) and rng.random() < 0.5:
            return {**value, rng.choice(ODD_KEYS): rng.choice(ODD_VALUES)}
        if isinstance(value, list) and rng.random() < 0.5:
            return [*value, rng.choice(ODD_VALUES)]
        return rng.choice(ODD_VALUES)
    if isinstance(value, list):
        n = rng.randrange(len(value))
        return [*value[:n], alter(value[n], rng), *value[n + 1 :]]
    name = rng.choice(sorted(value))
    if rng.random() < 0.15:
        return {k: v for k, v in value.items() if k != name}
    return {**value, name: alter(value[name], rng)}


@pytest.fixture
def schema_page(page: Page, serve: Callable[[Path], str]) -> Page:
    page.goto(serve(STATIC) + "schema.js")
    page.evaluate("async () => { window.schema = await import('./schema.js'); }")
    return page


def test_the_build_uses_only_keywords_schema_js_checks() -> None:
    used = set().union(*(keywords(s) for s in schemas()))
    assert used <= KEYWORDS
    source = (STATIC / "schema.js").read_text(encoding="utf-8")
    listed = re.search(r"const KEYWORDS = new Set\(\[(.*?)\]\);", source, re.DOTALL)
    assert listed is not None
    assert set(re.findall(r'"([^"]+)"', listed.group(1))) == KEYWORDS


def test_fits_and_prune_agree_with_jsonschema(schema_page: Page) -> None:
    rng = random.Random(20260117)
    all_schemas = schemas()
    cases: list[tuple[int, str]] = []
    for index, schema in enumerate(all_schemas):
        for n in range(CASES_PER_SCHEMA):
            value = example(schema, rng)
            for _ in range(n % 4):  # a quarter stay as made: valid ones are checked too
                value = alter(value, rng)
            cases.append((index, json.dumps(value)))
    # Sent as JSON text, parsed in the page: "__proto__" stays an ordinary key, as in a file.
    verdicts = schema_page.evaluate(
        """([schemas, cases]) => cases.map(([index, text]) => {
             const value = JSON.parse(text);
             const pruned = window.schema.prune(schemas[index], value);
             return [window.schema.fits(schemas[index], value),
                     pruned.value === undefined ? null : JSON.stringify(pruned.value),
                     pruned.dropped];
           })""",
        [all_schemas, cases],
    )
    validators = [jsonschema.Draft202012Validator(s) for s in all_schemas]
    differ, bad_prunes, valid = [], [], 0
    for (index, text), (fits, pruned, dropped) in zip(cases, verdicts, strict=True):
        expected = validators[index].is_valid(json.loads(text))
        valid += expected
        if fits != expected:
            differ.append((index, text))
        if pruned is not None and not validators[index].is_valid(json.loads(pruned)):
            bad_prunes.append((index, text, pruned))
        if expected and (pruned is None or dropped):
            bad_prunes.append((index, text, pruned))  # a valid value is kept whole
    assert not differ, f"{len(differ)} verdicts differ, first: {differ[0]}"
    assert not bad_prunes, f"{len(bad_prunes)} prunes do not fit, first: {bad_prunes[0]}"
    # Both kinds of case were tried in numbers.
    assert len(cases) // 5 < valid < len(cases) * 4 // 5
